namespace Vigil.Cli.Commands;

/// <summary><c>vigil cluster</c>.</summary>
internal static class ClusterCommand
{
    public static Task<int> RunAsync(string[] args)
    {
        Console.Error.WriteLine("vigil cluster: not available yet in this build.");
        return Task.FromResult(2);
    }
}
