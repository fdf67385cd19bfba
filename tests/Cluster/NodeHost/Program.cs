using Vigil.Cluster.Benchmarking;
using Vigil.Cluster.Configuration;
using Vigil.Cluster.Node;

// Usage: vigil-node-host node --config FILE   (same arguments as `vigil node`)
//        vigil-node-host bench --config FILE [small large latency]   (the cluster benchmark, for quick runs)
int at = Array.IndexOf(args, "--config");
if (args.Length == 0 || at < 0 || at + 1 >= args.Length)
{
    Console.Error.WriteLine("usage: vigil-node-host node|bench --config FILE");
    return 2;
}
if (args[0] == "bench")
{
    var rest = args.Skip(at + 2).Select(int.Parse).ToArray();
    var options = new ClusterBenchOptions();
    if (rest.Length > 0) options = options with { SmallRequests = rest[0] };
    if (rest.Length > 1) options = options with { LargeRequests = rest[1] };
    if (rest.Length > 2) options = options with { LatencySamples = rest[2] };
    Console.WriteLine(await ClusterBench.RunAsync(ClusterConfigParser.Load(args[at + 1]), options, Console.Error));
    return 0;
}
return await NodeRunner.RunAsync(args[at + 1], Console.Out, Console.Error);
