using System.Runtime.InteropServices;
using Vigil.Cluster.Configuration;

namespace Vigil.Cluster.Node;

/// <summary><c>vigil node --config cluster.conf</c>: runs a node until SIGTERM/SIGINT or a leave request, then leaves gracefully.</summary>
public static class NodeRunner
{
    /// <summary>Runs the node; returns the process exit code (0 after a graceful leave, 2 for a bad configuration).</summary>
    public static async Task<int> RunAsync(string configPath, TextWriter output, TextWriter error)
    {
        ClusterConfig config;
        try { config = ClusterConfigLoader.Load(configPath); }
        catch (ClusterConfigException e)
        {
            error.WriteLine($"vigil node: {e.Message}");
            return 2;
        }
        VigilNode node;
        try { node = await VigilNode.StartAsync(config, error).ConfigureAwait(false); }
        catch (Exception e) when (e is InvalidOperationException or Broker.BrokerUnavailableException or Akka.Configuration.ConfigurationException)
        {
            error.WriteLine($"vigil node {config.Node.Name}: {e.Message}");
            return 1;
        }
        output.WriteLine($"node {config.Node.Name} ready: {node.Describe()}");
        output.Flush();
        void Leave(PosixSignalContext c)
        {
            c.Cancel = true;
            output.WriteLine($"node {config.Node.Name}: leaving the cluster");
            output.Flush();
            _ = node.LeaveAsync();
        }
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Leave);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Leave);
        await node.System.WhenTerminated.ConfigureAwait(false);
        output.WriteLine($"node {config.Node.Name} left");
        output.Flush();
        return 0;
    }
}
