using Vigil.Cli.Commands;
using Vigil.Cluster.Benchmarking;
using Vigil.Cluster.Broker;
using Vigil.Cluster.Configuration;

namespace Vigil.Cli.Benchmarks;

/// <summary>
/// <c>vigil bench cluster [--json] [--config FILE] [--requests N] [--large N] [--samples N] [--only latency|throughput]</c>:
/// remote against local inference of a tiny model (added latency p50/p99, with the bare broker
/// round trip for reference) and requests/s through the broker at 1 KB and 600 KB with publisher
/// confirms, naive and tuned clients side by side. Needs the broker (scripts/setup broker).
/// </summary>
internal static class ClusterBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var a = new CommandArguments(args, "json");
        bool json = a.Flag("json");
        string path = a.Get("config") ?? NodeCommand.DefaultConfig();
        var options = new ClusterBenchOptions
        {
            SmallRequests = a.GetInt("requests", 20000),
            LargeRequests = a.GetInt("large", 300),
            LatencySamples = a.GetInt("samples", 2000),
            Sections = (a.Get("only") ?? "latency,throughput").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(),
        };
        foreach (var section in options.Sections)
            if (section is not ("latency" or "throughput")) throw new CommandLineException($"--only: unknown section '{section}'; sections are latency, throughput");
        a.RejectUnknown();
        ClusterConfig config;
        try { config = ClusterConfigParser.Load(path); }
        catch (ClusterConfigException e) { throw new CommandLineException(e.Message); }
        try
        {
            string report = await ClusterBench.RunAsync(config, options, json ? TextWriter.Null : Console.Error);
            Console.Out.WriteLine(report);
            return 0;
        }
        catch (BrokerUnavailableException e)
        {
            Console.Error.WriteLine($"vigil bench cluster: {e.Message}");
            return 1;
        }
    }
}
