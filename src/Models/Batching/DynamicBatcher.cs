namespace Vigil.Models.Batching;

/// <summary>
/// Groups concurrent inference requests for one model into batches (a per-model actor: one queue,
/// one dispatcher). A batch runs when <see cref="DynamicBatcherOptions.MaxBatchSize"/> requests
/// are queued, or when the oldest has waited <see cref="DynamicBatcherOptions.MaxQueueDelay"/>,
/// whichever comes first, as long as fewer than <see cref="DynamicBatcherOptions.MaxConcurrentBatches"/>
/// run already. Each caller gets its own response (the handler returns them in request order).
/// Higher priority requests are taken first. A request whose deadline passes while it is queued
/// fails at once with <see cref="DeadlineExceededException"/> and is never run; once its batch has
/// started, it is completed even if late. A full queue refuses new requests
/// (<see cref="BatcherQueueFullException"/>). Disposal runs everything already accepted first.
/// All timing uses the options' <see cref="TimeProvider"/>.
/// </summary>
public sealed class DynamicBatcher<TRequest, TResponse> : IAsyncDisposable
{
    private readonly BatchHandler<TRequest, TResponse> _handler;
    private readonly DynamicBatcherOptions _options;
    private readonly TimeProvider _time;
    private readonly KeyValuePair<string, object?> _modelTag;
    private readonly object _gate = new();
    // Queued requests in the order batches take them, and the same set by arrival (for the delay).
    private readonly SortedSet<PendingRequest<TRequest, TResponse>> _byPriority = new(PendingRequest<TRequest, TResponse>.ByPriority);
    private readonly SortedSet<PendingRequest<TRequest, TResponse>> _byArrival = new(PendingRequest<TRequest, TResponse>.ByArrival);
    // Fires when the oldest queued request has waited MaxQueueDelay.
    private readonly ITimer _delayTimer;
    // Completed when disposing and the queue and running batches are empty.
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _sequence;
    private int _running;          // batches in progress
    private bool _disposing;       // no new requests; flush the queue without waiting for the delay
    private long _batches, _completed, _failed, _expired, _refused, _cancelled;
    private long[] _batchSizeCounts;
    private TimeSpan _computeTime;   // total handler time

    /// <summary>Creates a batcher that runs batches through <paramref name="handler"/>.</summary>
    public DynamicBatcher(BatchHandler<TRequest, TResponse> handler, DynamicBatcherOptions options)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _handler = handler;
        _options = options;
        _time = options.TimeProvider;
        _modelTag = new("model", options.ModelId);
        _batchSizeCounts = new long[options.MaxBatchSize + 1];
        _delayTimer = _time.CreateTimer(static s => ((DynamicBatcher<TRequest, TResponse>)s!).OnDelayElapsed(),
            this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The options this batcher runs with.</summary>
    public DynamicBatcherOptions Options => _options;

    /// <summary>Requests waiting now.</summary>
    public int QueueLength { get { lock (_gate) return _byPriority.Count; } }

    /// <summary>A snapshot of the counters.</summary>
    public BatcherStatistics Statistics
    {
        get
        {
            lock (_gate)
                return new BatcherStatistics(_batches, _completed, _failed, _expired, _refused, _cancelled,
                    _byPriority.Count, _batchSizeCounts.ToArray(), _computeTime);
        }
    }

    /// <summary>
    /// Queues <paramref name="request"/> and completes with its response once its batch has run.
    /// Fails with <see cref="DeadlineExceededException"/> if <paramref name="deadline"/> passes
    /// first, <see cref="BatcherQueueFullException"/> when the queue is full,
    /// <see cref="BatchFailedException"/> when the model fails on it, and is cancelled when
    /// <paramref name="cancellation"/> fires while it is still queued.
    /// </summary>
    /// <param name="request">The payload handed to the batch handler.</param>
    /// <param name="deadline">When the result stops being useful; null for none.</param>
    /// <param name="priority">Higher is taken first; default 0.</param>
    /// <param name="requestId">Identity used in errors (e.g. patient/frame id); default a sequence number.</param>
    /// <param name="cancellation">Withdraws the request while it is queued.</param>
    public Task<TResponse> InferAsync(TRequest request, DateTimeOffset? deadline = null, int priority = 0,
        string? requestId = null, CancellationToken cancellation = default)
    {
        if (cancellation.IsCancellationRequested) return Task.FromCanceled<TResponse>(cancellation);
        var now = _time.GetUtcNow();
        PendingRequest<TRequest, TResponse> pending;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposing, this);
            var sequence = ++_sequence;
            var id = requestId ?? "#" + sequence.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (deadline is { } d && d <= now)
            {
                _expired++;
                BatcherInstruments.DeadlineExceeded.Add(1, _modelTag);
                return Task.FromException<TResponse>(new DeadlineExceededException(_options.ModelId, id, d, TimeSpan.Zero));
            }
            if (_byPriority.Count >= _options.MaxQueueLength)
            {
                _refused++;
                BatcherInstruments.Refused.Add(1, _modelTag);
                return Task.FromException<TResponse>(new BatcherQueueFullException(_options.ModelId, id, _byPriority.Count));
            }
            pending = new PendingRequest<TRequest, TResponse>(request, id, priority, sequence, _time.GetTimestamp(), deadline);
            _byPriority.Add(pending);
            _byArrival.Add(pending);
            if (deadline is { } due)
                pending.DeadlineTimer = _time.CreateTimer(static s => ExpireCallback(s!), (this, pending), due - now, Timeout.InfiniteTimeSpan);
            // Registered under the lock so a dispatch (which detaches under the same order) always
            // sees it; a token cancelled meanwhile runs Withdraw inline, and the lock is re-entrant.
            if (cancellation.CanBeCanceled)
                pending.Cancellation = cancellation.Register(static s =>
                {
                    var (batcher, p, token) = ((DynamicBatcher<TRequest, TResponse>, PendingRequest<TRequest, TResponse>, CancellationToken))s!;
                    batcher.Withdraw(p, () => p.Completion.TrySetCanceled(token), cancelled: true);
                }, (this, pending, cancellation));
        }
        TryDispatch();
        return pending.Completion.Task;
    }

    /// <summary>Stops accepting requests, runs everything queued, and waits for running batches.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposing) return;
            _disposing = true;
        }
        TryDispatch();
        CheckDrained();
        await _drained.Task.ConfigureAwait(false);
        _delayTimer.Dispose();
    }

    private static void ExpireCallback(object state)
    {
        var (batcher, pending) = ((DynamicBatcher<TRequest, TResponse>, PendingRequest<TRequest, TResponse>))state;
        var waited = batcher._time.GetElapsedTime(pending.EnqueuedTimestamp);
        batcher.Withdraw(pending, () => pending.Completion.TrySetException(
            new DeadlineExceededException(batcher._options.ModelId, pending.RequestId, pending.Deadline!.Value, waited)), cancelled: false);
    }

    // Removes a still-queued request and fails it; no-op when its batch already took it.
    private void Withdraw(PendingRequest<TRequest, TResponse> pending, Action fail, bool cancelled)
    {
        lock (_gate)
        {
            if (!_byPriority.Remove(pending)) return;
            _byArrival.Remove(pending);
            if (cancelled) _cancelled++;
            else { _expired++; BatcherInstruments.DeadlineExceeded.Add(1, _modelTag); }
        }
        pending.Detach();
        fail();
        CheckDrained();
        // The oldest request may have changed: re-arm the delay timer.
        TryDispatch();
    }

    private void OnDelayElapsed() => TryDispatch();

    // Starts every batch that is due and a free slot allows; otherwise arms the delay timer.
    private void TryDispatch()
    {
        while (true)
        {
            List<PendingRequest<TRequest, TResponse>> batch;
            List<PendingRequest<TRequest, TResponse>>? expired = null;
            lock (_gate)
            {
                if (_byPriority.Count == 0 || _running >= _options.MaxConcurrentBatches) return;
                var oldest = _byArrival.Min!;
                var waited = _time.GetElapsedTime(oldest.EnqueuedTimestamp);
                var due = _disposing || _byPriority.Count >= _options.MaxBatchSize || waited >= _options.MaxQueueDelay;
                if (!due)
                {
                    _delayTimer.Change(_options.MaxQueueDelay - waited, Timeout.InfiniteTimeSpan);
                    return;
                }
                var now = _time.GetUtcNow();
                batch = new List<PendingRequest<TRequest, TResponse>>(Math.Min(_options.MaxBatchSize, _byPriority.Count));
                foreach (var p in _byPriority)
                {
                    if (batch.Count == _options.MaxBatchSize) break;
                    // A deadline timer may not have fired yet for a request that is already late.
                    if (p.Deadline is { } d && d <= now) (expired ??= new()).Add(p);
                    else batch.Add(p);
                }
                foreach (var p in batch) { _byPriority.Remove(p); _byArrival.Remove(p); }
                if (expired is not null)
                    foreach (var p in expired) { _byPriority.Remove(p); _byArrival.Remove(p); _expired++; BatcherInstruments.DeadlineExceeded.Add(1, _modelTag); }
                if (batch.Count > 0) { _running++; _batches++; _batchSizeCounts[batch.Count]++; }
                if (_byPriority.Count == 0) _delayTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }
            if (expired is not null)
                foreach (var p in expired)
                {
                    p.Detach();
                    p.Completion.TrySetException(new DeadlineExceededException(_options.ModelId, p.RequestId, p.Deadline!.Value,
                        _time.GetElapsedTime(p.EnqueuedTimestamp)));
                }
            if (batch.Count > 0) StartBatch(batch);
            else CheckDrained();
        }
    }

    private void StartBatch(List<PendingRequest<TRequest, TResponse>> batch)
    {
        var start = _time.GetTimestamp();
        BatcherInstruments.BatchSize.Record(batch.Count, _modelTag);
        foreach (var p in batch)
        {
            p.Detach();
            BatcherInstruments.QueueWait.Record(ElapsedMs(p.EnqueuedTimestamp, start), _modelTag);
        }
        // The handler runs on the thread pool, never on the thread that enqueued or advanced the clock.
        _ = Task.Run(() => RunBatchAsync(batch, start));
    }

    private double ElapsedMs(long from, long to) => _time.GetElapsedTime(from, to).TotalMilliseconds;

    private async Task RunBatchAsync(List<PendingRequest<TRequest, TResponse>> batch, long start)
    {
        try
        {
            IReadOnlyList<TResponse>? responses = null;
            Exception? failure = null;
            try
            {
                responses = await _handler(batch.ConvertAll(p => p.Request), CancellationToken.None).ConfigureAwait(false);
                if (responses is null || responses.Count != batch.Count)
                    throw new InvalidOperationException(
                        $"The batch handler for model '{_options.ModelId}' returned {responses?.Count ?? 0} responses for {batch.Count} requests.");
            }
            catch (Exception e) { failure = e; }
            var computed = _time.GetElapsedTime(start, _time.GetTimestamp());
            BatcherInstruments.ComputeTime.Record(computed.TotalMilliseconds, _modelTag);
            lock (_gate) _computeTime += computed;

            if (failure is null)
            {
                for (var i = 0; i < batch.Count; i++) batch[i].Completion.TrySetResult(responses![i]);
                lock (_gate) _completed += batch.Count;
            }
            else if (batch.Count > 1 && _options.IsolateFailures)
                foreach (var p in batch) await RunAloneAsync(p).ConfigureAwait(false);
            else
                Fail(batch, failure, batch.Count);
        }
        finally
        {
            lock (_gate) _running--;
            TryDispatch();
            CheckDrained();
        }
    }

    // Reruns one request of a failed batch by itself, so only the request at fault fails.
    private async Task RunAloneAsync(PendingRequest<TRequest, TResponse> p)
    {
        try
        {
            var r = await _handler([p.Request], CancellationToken.None).ConfigureAwait(false);
            if (r is null || r.Count != 1)
                throw new InvalidOperationException($"The batch handler for model '{_options.ModelId}' returned {r?.Count ?? 0} responses for 1 request.");
            p.Completion.TrySetResult(r[0]);
            lock (_gate) _completed++;
        }
        catch (Exception e) { Fail([p], e, 1); }
    }

    private void Fail(List<PendingRequest<TRequest, TResponse>> batch, Exception failure, int batchSize)
    {
        foreach (var p in batch)
            p.Completion.TrySetException(new BatchFailedException(_options.ModelId, p.RequestId, batchSize, failure));
        lock (_gate) _failed += batch.Count;
    }

    private void CheckDrained()
    {
        lock (_gate)
            if (!_disposing || _byPriority.Count > 0 || _running > 0) return;
        _drained.TrySetResult();
    }
}
