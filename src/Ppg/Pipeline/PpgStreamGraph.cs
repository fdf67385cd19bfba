using System.Threading.Channels;
using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace Vigil.Ppg;

/// <summary>
/// The PPG pipeline run for push-style callers (<see cref="IPpgIngest"/>): a bounded channel
/// (live ingest, backpressured: <see cref="PostAsync"/> waits while it is full) →
/// <see cref="PpgFlows.HeartRate"/>'s keyed stage → a sink that hands results and refusals to the
/// caller. Materialized on the host's Akka materializer; one patient's invalid batch is reported
/// for that patient only and the graph keeps serving everyone else.
/// </summary>
public sealed class PpgStreamGraph : IPpgIngest, IAsyncDisposable
{
    private readonly Channel<PpgSampleBatch> _queue;
    private readonly Task _completion;
    private long _batches, _results, _errors;

    /// <summary>Materializes the graph on <paramref name="materializer"/>.</summary>
    /// <param name="materializer">Runs the graph (its scheduler drives idle passivation).</param>
    /// <param name="onResult">Receives every window result (on the graph's thread: keep it quick and thread-safe).</param>
    /// <param name="onError">Receives refused batches; default ignores them (they are still counted).</param>
    /// <param name="options">Settings; defaults when null.</param>
    public PpgStreamGraph(IMaterializer materializer, Action<PpgWindowResult> onResult, Action<PpgIngestError>? onError = null, PpgStreamGraphOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(materializer);
        ArgumentNullException.ThrowIfNull(onResult);
        var o = options ?? new PpgStreamGraphOptions();
        var steps = PpgFlows.Steps(o);
        var error = onError ?? (_ => { });
        _queue = Channel.CreateBounded<PpgSampleBatch>(new BoundedChannelOptions(o.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        _completion = ChannelSource.FromReader(_queue.Reader)
            .Via(steps)
            .ToMaterialized(Sink.ForEach<PpgFlows.PatientStep>(step =>
            {
                Interlocked.Increment(ref _batches);
                if (step.Error is { } e) { Interlocked.Increment(ref _errors); Safe(() => error(e)); }
                foreach (var r in step.Results)
                {
                    Interlocked.Increment(ref _results);
                    Safe(() => onResult(r), () => error(new PpgIngestError(r.PatientId, "result sink failed")));
                }
            }), Keep.Right)
            .Named("ppg")
            .Run(materializer);
        // A graph that ends (failed or cancelled) refuses further posts instead of leaving them waiting.
        _completion.ContinueWith(_ => _queue.Writer.TryComplete(), TaskScheduler.Default);
    }

    /// <summary>Batches processed so far.</summary>
    public long BatchesProcessed => Interlocked.Read(ref _batches);

    /// <summary>Window results emitted so far.</summary>
    public long ResultsEmitted => Interlocked.Read(ref _results);

    /// <summary>Batches refused so far.</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Completes when the graph has processed everything posted before <see cref="CompleteAsync"/> (or failed).</summary>
    public Task Completion => _completion;

    /// <inheritdoc />
    public async ValueTask PostAsync(PpgSampleBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        try
        {
            await _queue.Writer.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException("The PPG graph is no longer accepting batches (completed or failed).");
        }
    }

    /// <inheritdoc />
    public bool TryPost(PpgSampleBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return _queue.Writer.TryWrite(batch);
    }

    /// <summary>Stops accepting batches and waits until every accepted one has been processed. Safe to call more than once.</summary>
    public async Task CompleteAsync()
    {
        _queue.Writer.TryComplete();
        await _completion.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await CompleteAsync().ConfigureAwait(false);

    private static void Safe(Action action, Action? onFailure = null)
    {
        try { action(); }
        catch (Exception) { try { onFailure?.Invoke(); } catch (Exception) { /* a failing error sink must not stop the graph */ } }
    }
}
