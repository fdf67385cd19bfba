using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Vigil.Hosting.Internal;

/// <summary>
/// Runs one registered pipeline with the host: starts it in <see cref="StartAsync"/>, asks it to
/// drain in <see cref="StopAsync"/> and waits until it has, for at most the host's shutdown
/// timeout (the token the host passes), then aborts it. One instance per registration, so the
/// host's own ordering applies: started in registration order, stopped in reverse.
/// </summary>
internal sealed class PipelineHostedService(
    PipelineDefinition definition,
    IServiceProvider services,
    IHostApplicationLifetime lifetime,
    IOptions<VigilOptions> options,
    ILogger<PipelineHostedService> logger) : IHostedService
{
    private PipelineRun? _run;
    // Set once the host asked us to stop, so the pipeline ending afterwards is expected.
    private volatile bool _stopping;

    public string Name => definition.Name;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var run = definition.Start(services);
        if (run.Completion.IsFaulted) return run.Completion; // failed while starting: fail the host's start
        _run = run;
        HostingLog.PipelineStarted(logger, Name);
        _ = run.Completion.ContinueWith(OnEnded, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        if (_run is not { } run) return;
        HostingLog.PipelineDraining(logger, Name);
        run.RequestDrain();
        try
        {
            await run.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
            HostingLog.PipelineDrained(logger, Name);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            HostingLog.PipelineDrainTimedOut(logger, Name);
            run.Abort();
        }
        catch (OperationCanceledException)
        {
            HostingLog.PipelineDrained(logger, Name); // the pipeline ended by cancellation: nothing more to drain
        }
        catch (Exception ex)
        {
            HostingLog.PipelineFailed(logger, ex, Name);
        }
    }

    private void OnEnded(Task completion)
    {
        if (_stopping) return;
        if (completion.IsFaulted) HostingLog.PipelineFailed(logger, completion.Exception!.GetBaseException(), Name);
        else HostingLog.PipelineEndedEarly(logger, Name);
        if (options.Value.StopApplicationOnPipelineFailure && completion.IsFaulted)
        {
            HostingLog.StoppingApplication(logger, Name);
            lifetime.StopApplication();
        }
    }
}
