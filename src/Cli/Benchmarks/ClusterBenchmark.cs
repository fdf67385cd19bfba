using System.Diagnostics;
using Vigil.Cluster.Benchmarking;

namespace Vigil.Cli.Benchmarks;

/// <summary>
/// <c>vigil bench cluster [--json] [--only latency,recovery,edge] [--samples N] [--requests N] [--patients N]
/// [--edge-messages N] [--edge-backend sqlite|postgresql] [--edge-compare]</c>: remote against local inference, kill -9
/// recovery with patients, and broker-edge throughput (<see cref="ClusterBench"/>); <c>--edge-compare</c> also runs the edge on SQLite's rollback journal. Needs RabbitMQ
/// and PostgreSQL (scripts/setup broker postgres). Node processes are this executable's <c>vigil node</c>.
/// </summary>
internal static class ClusterBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var a = new CommandArguments(args, "json", "edge-compare");
        bool json = a.Flag("json");
        var defaults = new ClusterBenchOptions();
        var options = new ClusterBenchOptions
        {
            LatencySamples = a.GetInt("samples", defaults.LatencySamples),
            Requests = a.GetInt("requests", defaults.Requests),
            Patients = a.GetInt("patients", defaults.Patients),
            EdgeMessages = a.GetInt("edge-messages", defaults.EdgeMessages),
            EdgePatients = a.GetInt("edge-patients", defaults.EdgePatients),
            EdgeBackend = a.Get("edge-backend") ?? defaults.EdgeBackend,
            EdgeCompare = a.Flag("edge-compare"),
            Sections = (a.Get("only") ?? "latency,recovery,edge").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(),
        };
        foreach (var section in options.Sections)
            if (section is not ("latency" or "recovery" or "edge")) throw new CommandLineException($"--only: unknown section '{section}'; sections are latency, recovery, edge");
        if (options.EdgeBackend is not ("sqlite" or "postgresql")) throw new CommandLineException($"--edge-backend: expected sqlite or postgresql, got '{options.EdgeBackend}'");
        a.RejectUnknown();
        try
        {
            Console.Out.WriteLine(await ClusterBench.RunAsync(options, Launcher, json ? TextWriter.Null : Console.Error));
            return 0;
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine($"vigil bench cluster: {e.Message}");
            return 1;
        }
    }

    /// <summary>Starts `vigil node --config FILE` with this very executable.</summary>
    private static ProcessStartInfo Launcher(string conf)
    {
        string self = Environment.ProcessPath ?? "dotnet";
        var psi = new ProcessStartInfo(self);
        // Run through `dotnet vigil.dll` when this process is the dotnet host.
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") psi.ArgumentList.Add(typeof(ClusterBenchmark).Assembly.Location);
        foreach (var x in new[] { "node", "--config", conf }) psi.ArgumentList.Add(x);
        return psi;
    }
}
