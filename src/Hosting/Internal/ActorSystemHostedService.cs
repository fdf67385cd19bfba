using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vigil.Actors;

namespace Vigil.Hosting.Internal;

/// <summary>
/// Ties the actor system to the host. Registered by <c>AddVigil</c> before any pipeline, so it
/// starts first and stops last: pipelines drain into live actors, then the actors drain.
/// </summary>
internal sealed class ActorSystemHostedService(ActorSystem system, ILogger<ActorSystemHostedService> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        HostingLog.ActorSystemStarted(logger, system.Name);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await system.ShutdownAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            HostingLog.ActorSystemDrainTimedOut(logger, system.Name);
        }
    }
}
