namespace Vigil.Cli.Commands;

/// <summary><c>vigil bench</c>.</summary>
internal static class BenchCommand
{
    public static Task<int> RunAsync(string[] args)
    {
        Console.Error.WriteLine("vigil bench: not available yet in this build.");
        return Task.FromResult(2);
    }
}
