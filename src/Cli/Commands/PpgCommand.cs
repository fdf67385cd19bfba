namespace Vigil.Cli.Commands;

/// <summary><c>vigil ppg</c>.</summary>
internal static class PpgCommand
{
    public static Task<int> RunAsync(string[] args)
    {
        Console.Error.WriteLine("vigil ppg: not available yet in this build.");
        return Task.FromResult(2);
    }
}
