using Vigil.Cli.Benchmarks;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil bench streams|models|cluster|gpu [--json]</c>: dispatches to one benchmark.</summary>
internal static class BenchCommand
{
    public static Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine("usage: vigil bench streams|models|cluster|gpu [--json]");
            return Task.FromResult(2);
        }
        var rest = args[1..];
        return args[0] switch
        {
            "streams" => StreamsBenchmark.RunAsync(rest),
            "models" => ModelsBenchmark.RunAsync(rest),
            "gpu" => GpuCheckBenchmark.RunAsync(rest),
            "cluster" => ClusterBenchmark.RunAsync(rest),
            "console" => ConsoleBenchmark.RunAsync(rest),
            _ => throw new CommandLineException($"unknown benchmark '{args[0]}' (expected streams, models, cluster or gpu)"),
        };
    }
}
