using Vigil.Cluster.Configuration;
using Vigil.Cluster.Node;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil node --config cluster.conf</c>: runs a cluster node (serves its models, processes its
/// share of patient streams) until SIGTERM/SIGINT, then drains gracefully.
/// </summary>
internal static class NodeCommand
{
    public static Task<int> RunAsync(string[] args)
    {
        var a = new CommandArguments(args);
        string config = a.Get("config") ?? DefaultConfig();
        a.RejectUnknown();
        if (a.Positional.Count > 0) throw new CommandLineException($"unexpected argument '{a.Positional[0]}'");
        // Checked here first so a bad file ends in Program's one-line error (exit 2) like every other input.
        try { ClusterConfigLoader.Load(config); }
        catch (ClusterConfigException e) { throw new CommandLineException(e.Message); }
        return NodeRunner.RunAsync(config, Console.Out, Console.Error);
    }

    /// <summary>cluster.conf at the repository root.</summary>
    internal static string DefaultConfig() => Path.Combine(RepositoryPaths.Root, "cluster.conf");
}
