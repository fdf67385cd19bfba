using Akka.Actor;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Vigil.Cluster.Node;
using Vigil.WardConsole;
using Vigil.WardConsole.Telemetry;

namespace Vigil.Cli.Commands;

/// <summary>
/// The ward console inside <c>vigil node</c>: the same application as <c>vigil serve</c>, on the
/// node's actor system (no second one), so <c>/api/cluster</c> shows the cluster as this member
/// sees it. The node owns the process: the console neither handles signals nor stops the actor
/// system; the node stops the console when it leaves.
/// </summary>
internal sealed class NodeConsole : IAsyncDisposable
{
    private NodeConsole(WebApplication app) => App = app;

    /// <summary>The running console.</summary>
    public WebApplication App { get; }

    /// <summary>Starts the console on <paramref name="node"/>'s actor system; <paramref name="configure"/> sets its options after configuration.</summary>
    public static async Task<NodeConsole> StartAsync(VigilNode node, Action<ConsoleOptions> configure, string? configFile = null, Action<WebApplicationBuilder>? customize = null)
    {
        var app = ConsoleApp.Create(configure, b =>
        {
            if (configFile is not null) b.Configuration.AddJsonFile(Path.GetFullPath(configFile), optional: false);
            // Registered before AddVigil runs, so Vigil uses this system instead of starting its own.
            b.Services.AddSingleton<ActorSystem>(node.System);
            b.Services.AddSingleton<IHostLifetime, NodeOwnedLifetime>();
            customize?.Invoke(b);
        });
        var metrics = app.Services.GetRequiredService<ConsoleMetrics>();
        metrics.ObserveQueue("inference.serving", () => node.InferenceCounters.ServingInFlight);
        metrics.ObserveQueue("inference.requested", () => node.InferenceCounters.RequestedInFlight);
        metrics.InferenceBatches = (() => node.InferenceCounters.Batches, () => node.InferenceCounters.BatchedRequests);
        await app.StartAsync().ConfigureAwait(false);
        return new NodeConsole(app);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await App.StopAsync().ConfigureAwait(false);
        await App.DisposeAsync().ConfigureAwait(false);
    }

    // The node handles SIGTERM/SIGINT (graceful leave) and stops the console itself.
    private sealed class NodeOwnedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
