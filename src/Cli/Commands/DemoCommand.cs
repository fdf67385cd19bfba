namespace Vigil.Cli.Commands;

/// <summary><c>vigil demo</c>: the main job on an embedded single node.</summary>
internal static class DemoCommand
{
    public static Task<int> RunAsync(string[] args)
    {
        Console.WriteLine("vigil demo: engine skeleton (graphs arrive with the streams runtime).");
        return Task.FromResult(0);
    }
}
