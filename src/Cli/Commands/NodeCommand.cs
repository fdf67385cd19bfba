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
        return NodeRunner.RunAsync(config, Console.Out, Console.Error);
    }

    /// <summary>cluster.conf at the repository root.</summary>
    internal static string DefaultConfig() => Path.Combine(RepositoryPaths.Root, "cluster.conf");
}
