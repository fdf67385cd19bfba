namespace Vigil.Cli.Benchmarks;

/// <summary><c>vigil bench streams [--json]</c>: Vigil fused/async vs TPL Dataflow vs raw Channels.</summary>
internal static class StreamsBenchmark
{
    public static Task<int> RunAsync(string[] args)
    {
        Console.Error.WriteLine("vigil bench streams: being written.");
        return Task.FromResult(2);
    }
}
