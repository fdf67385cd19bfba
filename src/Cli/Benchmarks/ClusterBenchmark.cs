namespace Vigil.Cli.Benchmarks;

/// <summary><c>vigil bench cluster</c>: placeholder until the cluster owner replaces this file.</summary>
internal static class ClusterBenchmark
{
    public static Task<int> RunAsync(string[] args)
    {
        Console.Error.WriteLine("vigil bench cluster: not available yet in this build.");
        return Task.FromResult(2);
    }
}
