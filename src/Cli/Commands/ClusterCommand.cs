using Vigil.Cluster.Broker;
using Vigil.Cluster.Configuration;
using Vigil.Cluster.Node;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil cluster status [--config FILE] [--listen SECONDS] [--json]</c>: live nodes (from their
/// heartbeats), roles, models served, in-flight work and queue depths.
/// </summary>
internal static class ClusterCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var a = new CommandArguments(args, "json");
        if (a.Positional is not ["status"]) throw new CommandLineException("usage: vigil cluster status [--config FILE] [--listen SECONDS] [--json]");
        string path = a.Get("config") ?? NodeCommand.DefaultConfig();
        bool json = a.Flag("json");
        double listen = a.GetDouble("listen", -1);
        a.RejectUnknown();
        ClusterConfig config;
        try { config = ClusterConfigParser.Load(path); }
        catch (ClusterConfigException e) { throw new CommandLineException(e.Message); }
        // Long enough to hear every live node at least twice.
        var window = listen > 0 ? TimeSpan.FromSeconds(listen) : config.Timeouts.Heartbeat * 2.5;
        try
        {
            var status = await ClusterStatus.ReadAsync(config, window);
            Console.Out.Write(json ? status.ToJson() + Environment.NewLine : status.ToText());
            return 0;
        }
        catch (BrokerUnavailableException e)
        {
            Console.Error.WriteLine($"vigil cluster: {e.Message}");
            return 1;
        }
    }
}
