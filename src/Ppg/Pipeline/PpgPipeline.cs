using System.Threading.Channels;

namespace Vigil.Ppg;

/// <summary>Settings of a <see cref="PpgPipeline"/>.</summary>
public sealed record PpgPipelineOptions
{
    /// <summary>Tracker settings applied to every patient.</summary>
    public PpgTrackerOptions Tracker { get; init; } = PpgTrackerOptions.Default;

    /// <summary>Worker shards; a patient always lands on the same one (default: one per core).</summary>
    public int Shards { get; init; } = Environment.ProcessorCount;

    /// <summary>Batches a shard queues before <see cref="IPpgIngest.PostAsync"/> waits.</summary>
    public int ShardCapacity { get; init; } = 4096;

    /// <summary>Identity recorded in each patient's provenance, by patient (e.g. the CSV file and its hash); default <c>live:PATIENT</c>.</summary>
    public Func<string, string?>? InputIdentity { get; init; }
}

/// <summary>
/// The keyed per-patient PPG graph: ingest → shard by patient key → that patient's own
/// <see cref="PatientPpgTracker"/> (its substream state) → result sink. Each shard is one
/// sequential worker over a bounded queue, so a patient's batches are processed in order, state
/// is never shared between patients, and a full queue pushes back on the producer instead of
/// growing. A bad batch is reported through the error sink for its patient alone; the worker
/// and every other patient carry on.
/// </summary>
public sealed class PpgPipeline : IPpgIngest, IAsyncDisposable
{
    private readonly PpgPipelineOptions _options;
    private readonly Action<PpgWindowResult> _onResult;
    private readonly Action<PpgIngestError> _onError;
    private readonly Channel<PpgSampleBatch>[] _queues;
    private readonly Dictionary<string, PatientPpgTracker>[] _patients;
    private readonly Task[] _workers;
    private long _batches, _results, _errors;

    /// <summary>Starts the workers.</summary>
    /// <param name="onResult">Receives every window result (called on a worker thread; keep it quick and thread-safe).</param>
    /// <param name="onError">Receives refused batches; default ignores them (they are still counted).</param>
    /// <param name="options">Settings; defaults when null.</param>
    public PpgPipeline(Action<PpgWindowResult> onResult, Action<PpgIngestError>? onError = null, PpgPipelineOptions? options = null)
    {
        _options = options ?? new PpgPipelineOptions();
        _options.Tracker.Validate();
        if (_options.Shards < 1) throw new ArgumentOutOfRangeException(nameof(options), "Shards must be ≥ 1.");
        _onResult = onResult ?? throw new ArgumentNullException(nameof(onResult));
        _onError = onError ?? (_ => { });
        _queues = new Channel<PpgSampleBatch>[_options.Shards];
        _patients = new Dictionary<string, PatientPpgTracker>[_options.Shards];
        _workers = new Task[_options.Shards];
        for (var s = 0; s < _options.Shards; s++)
        {
            _queues[s] = Channel.CreateBounded<PpgSampleBatch>(new BoundedChannelOptions(_options.ShardCapacity)
            { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
            _patients[s] = new Dictionary<string, PatientPpgTracker>(StringComparer.Ordinal);
            var shard = s;
            _workers[s] = Task.Factory.StartNew(() => RunShardAsync(shard), CancellationToken.None,
                TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        }
    }

    /// <summary>Batches processed so far.</summary>
    public long BatchesProcessed => Interlocked.Read(ref _batches);

    /// <summary>Window results emitted so far.</summary>
    public long ResultsEmitted => Interlocked.Read(ref _results);

    /// <summary>Batches refused so far.</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Completes when every worker has drained its queue after <see cref="CompleteAsync"/>.</summary>
    public Task Completion => Task.WhenAll(_workers);

    /// <inheritdoc />
    public ValueTask PostAsync(PpgSampleBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return _queues[ShardOf(batch.PatientId)].Writer.WriteAsync(batch, cancellationToken);
    }

    /// <inheritdoc />
    public bool TryPost(PpgSampleBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return _queues[ShardOf(batch.PatientId)].Writer.TryWrite(batch);
    }

    /// <summary>Stops accepting batches and waits until everything queued has been processed.</summary>
    public Task CompleteAsync()
    {
        foreach (var q in _queues) q.Writer.TryComplete();
        return Completion;
    }

    /// <summary>Sum of the per-patient state sizes (bytes), read on the caller's thread (approximate while running).</summary>
    public long StateBytes()
    {
        long total = 0;
        foreach (var shard in _patients)
            lock (shard) foreach (var t in shard.Values) total += t.StateBytes + 96;
        return total;
    }

    /// <summary>Number of patients with state.</summary>
    public int PatientCount
    {
        get { var n = 0; foreach (var shard in _patients) lock (shard) n += shard.Count; return n; }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await CompleteAsync().ConfigureAwait(false);

    private int ShardOf(string patientId) => (int)((uint)StringComparer.Ordinal.GetHashCode(patientId) % (uint)_queues.Length);

    private async Task RunShardAsync(int shard)
    {
        var reader = _queues[shard].Reader;
        var patients = _patients[shard];
        var results = new List<PpgWindowResult>();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var batch))
            {
                results.Clear();
                try
                {
                    PatientPpgTracker? tracker;
                    lock (patients)
                        if (!patients.TryGetValue(batch.PatientId, out tracker))
                            patients[batch.PatientId] = tracker = new PatientPpgTracker(batch.PatientId, batch.Ppg.Length,
                                _options.Tracker, inputIdentity: _options.InputIdentity?.Invoke(batch.PatientId));
                    tracker.Push(batch, results);
                }
                catch (PpgInputException e)
                {
                    Interlocked.Increment(ref _errors);
                    Report(new PpgIngestError(batch.PatientId, e.Message));
                }
                Interlocked.Increment(ref _batches);
                foreach (var r in results)
                {
                    Interlocked.Increment(ref _results);
                    try { _onResult(r); }
                    catch (Exception e) { Report(new PpgIngestError(r.PatientId, $"result sink failed: {e.Message}")); }
                }
            }
        }
    }

    private void Report(PpgIngestError error)
    {
        try { _onError(error); } catch { /* an error sink that throws must not stop the shard */ }
    }
}
