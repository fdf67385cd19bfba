using System.Runtime.InteropServices;
using Vigil.Cluster.Broker;
using Vigil.Cluster.Configuration;

namespace Vigil.Cluster.Node;

/// <summary>
/// The body of <c>vigil node --config FILE</c>: loads the configuration, starts a
/// <see cref="ClusterNode"/>, prints one "ready" line, and on SIGTERM or SIGINT drains gracefully
/// (stop consuming, finish and acknowledge held work, hand patients over) before exiting 0.
/// </summary>
public static class NodeRunner
{
    /// <summary>Runs a node until a termination signal or <paramref name="stop"/>; returns the exit code.</summary>
    public static async Task<int> RunAsync(string configPath, TextWriter stdout, TextWriter stderr, CancellationToken stop = default)
    {
        ClusterConfig config;
        try { config = ClusterConfigParser.Load(configPath); }
        catch (ClusterConfigException e) { stderr.WriteLine($"vigil node: {e.Message}"); return 2; }

        var terminate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; terminate.TrySetResult(); });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; terminate.TrySetResult(); });
        using var reg = stop.Register(() => terminate.TrySetResult());

        ClusterNode node;
        try { node = await ClusterNode.StartAsync(config, log: stderr, ct: stop).ConfigureAwait(false); }
        catch (BrokerUnavailableException e) { stderr.WriteLine($"vigil node: {e.Message}"); return 1; }
        catch (QueueTypeMismatchException e) { stderr.WriteLine($"vigil node: {e.Message}"); return 1; }

        await using (node.ConfigureAwait(false))
        {
            var models = config.HasRole("serve")
                ? string.Join(", ", config.Models.Select(m => $"{m.Id} v{m.Version} (capacity {m.Capacity}{(m.Delay > TimeSpan.Zero ? $", delay {m.Delay.TotalMilliseconds:0} ms" : "")})"))
                : "none";
            stdout.WriteLine($"node {config.Node.Name} ready: roles {string.Join(",", config.Node.Roles)}; models {models}; broker {BrokerConnector.Describe(config)}");
            stdout.Flush();
            await terminate.Task.ConfigureAwait(false);
            await node.DrainAsync().ConfigureAwait(false);
        }
        stdout.WriteLine($"node {config.Node.Name} stopped");
        stdout.Flush();
        return 0;
    }
}
