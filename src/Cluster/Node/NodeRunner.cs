using System.Runtime.InteropServices;
using Vigil.Cluster.Configuration;

namespace Vigil.Cluster.Node;

/// <summary><c>vigil node --config cluster.conf</c>: runs a node until SIGTERM/SIGINT or a leave request, then leaves gracefully.</summary>
public static class NodeRunner
{
    /// <summary>
    /// Runs the node; returns the process exit code (0 after a graceful leave, 2 for a bad configuration).
    /// <paramref name="companion"/>, when given, starts a service that shares the node's actor system
    /// (the ward console) once the node is up; it is disposed first when the node leaves, before the
    /// shards hand off, and a companion that fails to start makes the node leave and exit 1.
    /// </summary>
    public static async Task<int> RunAsync(string configPath, TextWriter output, TextWriter error, Func<VigilNode, Task<IAsyncDisposable>>? companion = null)
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
        if (companion is not null)
        {
            IAsyncDisposable running;
            try { running = await companion(node).ConfigureAwait(false); }
            catch (Exception e)
            {
                error.WriteLine($"vigil node {config.Node.Name}: {e.Message.Split('\n')[0]}");
                await node.DisposeAsync().ConfigureAwait(false);
                return 1;
            }
            Akka.Actor.CoordinatedShutdown.Get(node.System).AddTask(Akka.Actor.CoordinatedShutdown.PhaseBeforeServiceUnbind, "vigil-companion-stop", async () =>
            {
                await running.DisposeAsync().ConfigureAwait(false);
                return Akka.Done.Instance;
            });
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
