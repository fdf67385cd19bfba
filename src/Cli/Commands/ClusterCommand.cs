using Vigil.Cluster.Configuration;
using Vigil.Cluster.Node;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil cluster status [--config FILE] [--json]</c>: members, roles, reachability, shards and
/// entities per node, in-flight work. <c>vigil cluster leave NODE [--config FILE]</c>: the node hands
/// off its shards and exits. Both ask the seed nodes named in cluster.conf.
/// </summary>
internal static class ClusterCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var a = new CommandArguments(args, "json");
        const string usage = "usage: vigil cluster status [--config FILE] [--json] | vigil cluster leave NODE [--config FILE]";
        string path = a.Get("config") ?? NodeCommand.DefaultConfig();
        bool json = a.Flag("json");
        a.RejectUnknown();
        ClusterConfig config;
        try { config = ClusterConfigLoader.Load(path); }
        catch (ClusterConfigException e) { throw new CommandLineException(e.Message); }
        try
        {
            switch (a.Positional)
            {
                case ["status"]:
                    var status = await ClusterAdmin.StatusAsync(config, TimeSpan.FromSeconds(10));
                    Console.Out.Write(json ? status.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + Environment.NewLine : ClusterAdmin.ToText(status));
                    return 0;
                case ["leave", var node]:
                    var (ok, message) = await ClusterAdmin.LeaveAsync(config, node, TimeSpan.FromSeconds(10));
                    (ok ? Console.Out : Console.Error).WriteLine($"vigil cluster: {message}");
                    return ok ? 0 : 2;
                default:
                    throw new CommandLineException(usage);
            }
        }
        catch (ClusterUnavailableException e)
        {
            Console.Error.WriteLine($"vigil cluster: {e.Message}");
            return 1;
        }
    }
}
