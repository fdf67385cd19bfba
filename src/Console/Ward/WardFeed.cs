using Akka.Streams;
using Vigil.Ppg;
using Vigil.WardConsole.Telemetry;

namespace Vigil.WardConsole.Ward;

/// <summary>
/// The live PPG graph of the ward: Vigil's <see cref="PpgStreamGraph"/> (bounded, backpressured
/// ingest → the keyed heart-rate stage) on the host's materializer, whose results go to the
/// <see cref="WardState"/> (and from there to live clients without waiting for them). Run by the host
/// as the Vigil pipeline <c>ward-ppg</c>.
/// </summary>
public sealed class WardFeed
{
    private readonly WardState _ward;
    private readonly ConsoleMetrics _metrics;
    private readonly TaskCompletionSource<PpgStreamGraph> _graph = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // Batches the graph accepted (its ingest queue holds those not yet processed).
    private long _posted;

    /// <summary>Creates the feed (the graph starts with <see cref="RunAsync"/>).</summary>
    public WardFeed(WardState ward, ConsoleMetrics metrics)
    {
        _ward = ward;
        _metrics = metrics;
        metrics.ObserveQueue("ppg.ingest", () => _graph.Task.IsCompletedSuccessfully ? Math.Max(0, Interlocked.Read(ref _posted) - _graph.Task.Result.BatchesProcessed) : 0);
    }

    /// <summary>The graph's ingest, once running.</summary>
    public Task<PpgStreamGraph> Graph => _graph.Task;

    /// <summary>Posts a batch (waits while the graph's queue is full: backpressure to the sender, never to live clients).</summary>
    public async ValueTask PostAsync(PpgSampleBatch batch, CancellationToken cancellationToken = default)
    {
        var graph = await _graph.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        await graph.PostAsync(batch, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _posted);
        _metrics.StageItems.Add(1, new KeyValuePair<string, object?>("stage", "ppg.ingest"));
    }

    /// <summary>Materializes the graph and runs it until <paramref name="drain"/> fires, then lets it finish what it holds.</summary>
    public async Task RunAsync(IMaterializer materializer, CancellationToken drain)
    {
        var graph = new PpgStreamGraph(materializer, OnResult, options: new PpgStreamGraphOptions { IdleTimeout = TimeSpan.FromMinutes(10) });
        _graph.TrySetResult(graph);
        try { await Task.Delay(Timeout.Infinite, drain).ConfigureAwait(false); }
        catch (OperationCanceledException) { /* drain requested */ }
        await graph.CompleteAsync().ConfigureAwait(false);
    }

    private void OnResult(PpgWindowResult result)
    {
        _metrics.StageItems.Add(1, new KeyValuePair<string, object?>("stage", "ppg.result"));
        _ward.Record(result);
    }
}
