using Vigil.Streams;

namespace Vigil.Ppg;

/// <summary>
/// The PPG pipeline as a <see cref="Vigil.Streams"/> graph: a bounded push queue (live ingest,
/// backpressured) → per patient, that patient's own <see cref="PatientPpgTracker"/> → a sink that
/// hands results and refusals to the caller. Patients are keyed one of two ways
/// (<see cref="PpgStreamGraphOptions.Lanes"/>): <c>GroupBy(patient)</c>, a substream per patient
/// with idle expiry and a live-patient bound, or <c>SelectPerKey</c> on a few parallel lanes (one
/// per core), cheaper per batch when thousands of patients stream steadily.
/// One patient's invalid batch becomes an error element of that substream only: nothing throws
/// across patients, so the graph keeps serving everyone else. Runs on the materializer's
/// <see cref="TimeProvider"/> (idle patients are completed after <see cref="PpgStreamGraphOptions.IdleTimeout"/>).
/// </summary>
public sealed class PpgStreamGraph : IPpgIngest, IAsyncDisposable
{
    private readonly SourceQueue<PpgSampleBatch> _queue;
    private readonly GraphHandle<Task> _handle;
    private long _batches, _results, _errors;

    /// <summary>Materializes the graph on <paramref name="materializer"/>.</summary>
    /// <param name="materializer">Runs the graph (its clock drives idle expiry).</param>
    /// <param name="onResult">Receives every window result (from substream threads: keep it quick and thread-safe).</param>
    /// <param name="onError">Receives refused batches; default ignores them (they are still counted).</param>
    /// <param name="options">Settings; defaults when null.</param>
    public PpgStreamGraph(Materializer materializer, Action<PpgWindowResult> onResult, Action<PpgIngestError>? onError = null, PpgStreamGraphOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(materializer);
        ArgumentNullException.ThrowIfNull(onResult);
        var o = options ?? new PpgStreamGraphOptions();
        o.Tracker.Validate();
        var error = onError ?? (_ => { });
        if (o.Lanes > 0 && o.IdleTimeout is not null)
            throw new ArgumentException("IdleTimeout needs the GroupBy graph (Lanes = 0): lanes keep every patient's state.", nameof(options));
        _queue = Source.Queue<PpgSampleBatch>(o.QueueCapacity);
        var keyed = o.Lanes > 0
            ? _queue.Source.SelectPerKey(b => b.PatientId, (patient, _) => new PatientState(patient, o), Step, o.Lanes, StringComparer.Ordinal)
            : _queue.Source.GroupBy(b => b.PatientId,
                patient =>
                {
                    // One substream per patient: its state needs no lookup.
                    var state = new PatientState(patient, o);
                    return Flow.Create<PpgSampleBatch>().Select(b => Step(state, b));
                },
                o.MaxPatients, o.IdleTimeout);
        _handle = keyed
            .To(Sink.ForEach<PatientStep>(step =>
            {
                Interlocked.Increment(ref _batches);
                if (step.Error is { } e) { Interlocked.Increment(ref _errors); Safe(() => error(e)); }
                foreach (var r in step.Results)
                {
                    Interlocked.Increment(ref _results);
                    Safe(() => onResult(r), () => error(new PpgIngestError(r.PatientId, "result sink failed")));
                }
            }))
            .Run(materializer, "ppg");
    }

    /// <summary>Batches processed so far.</summary>
    public long BatchesProcessed => Interlocked.Read(ref _batches);

    /// <summary>Window results emitted so far.</summary>
    public long ResultsEmitted => Interlocked.Read(ref _results);

    /// <summary>Batches refused so far.</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>The graph's handle (completion, per-stage metrics).</summary>
    public GraphHandle Handle => _handle;

    /// <inheritdoc />
    public async ValueTask PostAsync(PpgSampleBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (!await _queue.OfferAsync(batch, cancellationToken).ConfigureAwait(false))
            throw new InvalidOperationException("The PPG graph is no longer accepting batches (completed or failed).");
    }

    /// <inheritdoc />
    public bool TryPost(PpgSampleBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return _queue.TryOffer(batch);
    }

    /// <summary>Stops accepting batches and waits until every accepted one has been processed.</summary>
    public async Task CompleteAsync()
    {
        _queue.Complete();
        await _handle.Completion.ConfigureAwait(false);
        await _handle.Value.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await CompleteAsync().ConfigureAwait(false);

    // One patient's state: the tracker is created on the first batch, which fixes the channel count.
    private sealed class PatientState(string patient, PpgStreamGraphOptions options)
    {
        public string Patient { get; } = patient;
        public PpgStreamGraphOptions Options { get; } = options;
        public PatientPpgTracker? Tracker { get; set; }
    }

    // A refused batch becomes an error element of its own patient: nothing throws across patients.
    private static PatientStep Step(PatientState state, PpgSampleBatch batch)
    {
        var results = new List<PpgWindowResult>(2);
        try
        {
            state.Tracker ??= new PatientPpgTracker(state.Patient, batch.Ppg.Length, state.Options.Tracker,
                inputIdentity: state.Options.InputIdentity?.Invoke(state.Patient));
            state.Tracker.Push(batch, results);
            return new PatientStep(results, null);
        }
        catch (Exception e) when (e is PpgInputException or ArgumentException)
        {
            return new PatientStep(results, new PpgIngestError(state.Patient, e.Message));
        }
    }

    private static void Safe(Action action, Action? onFailure = null)
    {
        try { action(); }
        catch (Exception) { try { onFailure?.Invoke(); } catch (Exception) { /* a failing error sink must not stop the graph */ } }
    }

    private sealed record PatientStep(List<PpgWindowResult> Results, PpgIngestError? Error);
}

/// <summary>Settings of a <see cref="PpgStreamGraph"/>.</summary>
public sealed record PpgStreamGraphOptions
{
    /// <summary>Tracker settings applied to every patient.</summary>
    public PpgTrackerOptions Tracker { get; init; } = PpgTrackerOptions.Default;

    /// <summary>Batches the ingest queue holds before <see cref="IPpgIngest.PostAsync"/> waits.</summary>
    public int QueueCapacity { get; init; } = 1024;

    /// <summary>Most patients with live state at once (the least recently active is completed beyond it). GroupBy graph only.</summary>
    public int MaxPatients { get; init; } = 100_000;

    /// <summary>A patient silent this long is completed (state released); null keeps everyone. GroupBy graph only.</summary>
    public TimeSpan? IdleTimeout { get; init; }

    /// <summary>
    /// 0 (default): a GroupBy substream per patient (idle expiry, <see cref="MaxPatients"/>).
    /// N &gt; 0: N parallel lanes, a patient always on the same one (every patient's state kept).
    /// </summary>
    public int Lanes { get; init; }

    /// <summary>Identity recorded in each patient's provenance (e.g. the CSV file and its hash); default <c>live:PATIENT</c>.</summary>
    public Func<string, string?>? InputIdentity { get; init; }
}
