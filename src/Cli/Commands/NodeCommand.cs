namespace Vigil.Cli.Commands;

/// <summary><c>vigil node</c>.</summary>
internal static class NodeCommand
{
    public static Task<int> RunAsync(string[] args)
    {
        Console.Error.WriteLine("vigil node: not available yet in this build.");
        return Task.FromResult(2);
    }
}
