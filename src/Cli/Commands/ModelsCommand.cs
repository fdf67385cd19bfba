namespace Vigil.Cli.Commands;

/// <summary><c>vigil models</c>.</summary>
internal static class ModelsCommand
{
    public static Task<int> RunAsync(string[] args)
    {
        Console.Error.WriteLine("vigil models: not available yet in this build.");
        return Task.FromResult(2);
    }
}
