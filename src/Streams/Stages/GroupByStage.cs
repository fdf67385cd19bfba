using System.Threading.Channels;
using Vigil.Streams.Dsl;
using Vigil.Streams.Fusion;
using Vigil.Streams.Materialization;

namespace Vigil.Streams.Stages;

/// <summary>
/// Splits the stream by key into per-key substreams, each running its own copy of a flow, and
/// merges their outputs (per-patient processing). A dispatcher loop routes each element into
/// its key's bounded buffer; each substream runs as its own loop.
/// Emits: whatever any substream emits, in the order they produce it.
/// Backpressures: upstream when the element's substream buffer is full (head-of-line: one slow
/// key slows the dispatcher) or the merged output is full.
/// Live keys are bounded: a new key beyond <c>maxKeys</c> first completes the least recently
/// active substream (gracefully: it finishes what it accepted and its flow completes). A
/// substream idle for <c>idleTimeout</c> on the materializer's clock is completed the same way;
/// the key's next element starts a fresh substream.
/// Completes: when upstream completed and every substream completed. Cancels: completes all
/// substreams and cancels upstream. Fails: when upstream or any substream fails.
/// </summary>
internal sealed class GroupByStage<T, TKey, TOut> : Outlet<TOut> where TKey : notnull
{
    private readonly MaterializationContext _context;
    private readonly Outlet<T> _upstream;
    private readonly Func<T, TKey> _keySelector;
    private readonly Func<TKey, Flow<T, TOut>> _substreamFlow;
    private readonly int _maxKeys;
    private readonly TimeSpan? _idleTimeout;
    private readonly int _substreamBuffer;
    private readonly StageRuntime _stage;
    private readonly Channel<TOut> _output;
    // Free places in the merged output. Substreams take a slot before writing and the consumer
    // returns one per pull: a freed place wakes exactly one parked substream (FIFO), so with
    // thousands of live keys nobody loses a race for space and nothing is dropped or re-queued.
    private readonly SemaphoreSlim _slots;
    private readonly Dictionary<TKey, Substream> _live = new();
    private readonly ITimer? _expiryTimer;
    private TaskCompletionSource<bool>? _expirySignal;
    private volatile bool _expiryDue;
    private volatile bool _downstreamCancelled;
    private Exception? _error;
    private int _producers = 1; // the dispatcher plus one per running substream

    public GroupByStage(MaterializationContext context, Outlet<T> upstream, Func<T, TKey> keySelector,
        Func<TKey, Flow<T, TOut>> substreamFlow, int maxKeys, TimeSpan? idleTimeout, StageRuntime stage)
    {
        _context = context;
        _upstream = upstream;
        _keySelector = keySelector;
        _substreamFlow = substreamFlow;
        _maxKeys = maxKeys;
        _idleTimeout = idleTimeout;
        _substreamBuffer = context.Materializer.Options.DefaultBufferSize;
        _stage = stage;
        var outputCapacity = context.Materializer.Options.DefaultBufferSize;
        _slots = new SemaphoreSlim(outputCapacity);
        _output = Channel.CreateUnbounded<TOut>(new UnboundedChannelOptions
        {
            SingleReader = true,
            AllowSynchronousContinuations = true,
        });
        // A single-reader unbounded channel cannot count its items; the places taken from the
        // slot count are the merged outputs waiting for downstream (or being written).
        stage.QueueDepth = () => Math.Max(0, outputCapacity - _slots.CurrentCount);
        if (idleTimeout is { } idle)
            _expiryTimer = context.TimeProvider.CreateTimer(static s => ((GroupByStage<T, TKey, TOut>)s!).OnExpiryTick(), this, idle, idle);
        context.Start(stage.Name, DispatchAsync);
    }

    /// <summary>Keys with a running substream (read by tests and diagnostics).</summary>
    public int LiveKeys { get { lock (_live) return _live.Count; } }

    public override bool TryPull(out TOut item)
    {
        if (!_output.Reader.TryRead(out item!)) return false;
        _slots.Release();
        _stage.Out++;
        return true;
    }

    public override async ValueTask<bool> WaitAsync(CancellationToken cancellationToken)
    {
        if (await _output.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false)) return true;
        if (Volatile.Read(ref _error) is { } e) throw e;
        return false;
    }

    public override void Cancel()
    {
        if (_downstreamCancelled) return;
        _downstreamCancelled = true;
        _output.Writer.TryComplete();
        // Wake every substream parked for a slot: its write now fails and it cancels its flow.
        _slots.Release(CancelledWakeUps);
        Signal.Set(Interlocked.Exchange(ref _expirySignal, null));
    }

    // More than any number of parked substreams; far below int.MaxValue minus the buffer size.
    private const int CancelledWakeUps = 1 << 24;

    private void OnExpiryTick()
    {
        _expiryDue = true;
        Signal.Set(Interlocked.Exchange(ref _expirySignal, null));
    }

    private async Task DispatchAsync(LoopActivity activity, CancellationToken cancellationToken)
    {
        Task<bool>? upstreamWait = null;
        try
        {
            while (!_downstreamCancelled)
            {
                if (_expiryDue) ExpireIdle();
                if (_upstream.TryPull(out var element))
                {
                    _stage.In++;
                    await DispatchAsync(element, activity, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                if (upstreamWait is null)
                {
                    var wait = _upstream.WaitAsync(cancellationToken);
                    if (wait.IsCompleted)
                    {
                        if (wait.GetAwaiter().GetResult()) continue;
                        break;
                    }
                    upstreamWait = wait.AsTask();
                }
                var signal = new TaskCompletionSource<bool>();
                Volatile.Write(ref _expirySignal, signal);
                if (!_expiryDue && !_downstreamCancelled)
                    await _context.ParkAsync(Task.WhenAny(upstreamWait, signal.Task).WaitAsync(cancellationToken), activity).ConfigureAwait(false);
                if (upstreamWait.IsCompleted)
                {
                    var more = await upstreamWait.ConfigureAwait(false);
                    upstreamWait = null;
                    if (!more) break;
                }
            }
            if (_downstreamCancelled) _upstream.Cancel();
            CompleteAll();
        }
        catch (Exception e)
        {
            Volatile.Write(ref _error, _context.ErrorOr(e));
            _upstream.Cancel();
            CompleteAll();
            // The merged output carries the error downstream, where it fails the graph or is recovered.
        }
        finally
        {
            _expiryTimer?.Dispose();
            ReleaseProducer();
        }
    }

    private async ValueTask DispatchAsync(T element, LoopActivity activity, CancellationToken cancellationToken)
    {
        TKey key;
        try { key = _keySelector(element); }
        catch (Exception e) { _stage.Handle(e, element); return; }
        if (key is null) { _stage.Handle(new ArgumentNullException(nameof(element), "GroupBy key selector returned null."), element); return; }
        var substream = GetOrStart(key);
        substream.LastActive = _context.TimeProvider.GetTimestamp();
        while (!substream.Input.TryWrite(element))
        {
            substream.Input.FlushWrites();
            var space = substream.Input.WaitToWriteAsync(cancellationToken);
            var ok = space.IsCompleted ? space.GetAwaiter().GetResult() : await _context.ParkAsync(space, activity).ConfigureAwait(false);
            if (!ok) return; // the substream cancelled its input (e.g. a Take inside it): the key's element has nowhere to go
        }
        substream.Input.FlushWrites();
    }

    private Substream GetOrStart(TKey key)
    {
        lock (_live)
        {
            if (_live.TryGetValue(key, out var existing)) return existing;
            if (_live.Count >= _maxKeys)
            {
                var oldest = _live.Values.MinBy(s => s.LastActive)!;
                _live.Remove(oldest.Key);
                oldest.Input.Complete();
            }
        }
        var ring = new SpscRing<T>(_substreamBuffer, _context.CancellationToken);
        var flow = _substreamFlow(key);
        var input = StageNode<T>.Leaf("Substream", (_, _) => new RingOutlet<T>(ring));
        var outlet = _context.BuildScoped(() => flow.Apply(input).Build(_context), out var stages);
        var substream = new Substream(key, ring, outlet, stages);
        lock (_live) _live[key] = substream;
        Interlocked.Increment(ref _producers);
        _context.Start($"{_stage.Name}[{key}]", (activity, ct) => RunSubstreamAsync(substream, activity, ct));
        return substream;
    }

    private async Task RunSubstreamAsync(Substream substream, LoopActivity activity, CancellationToken cancellationToken)
    {
        var outlet = substream.Output;
        try
        {
            while (true)
            {
                while (outlet.TryPull(out var result))
                {
                    if (!_slots.Wait(0))
                        await _context.ParkAsync(_slots.WaitAsync(cancellationToken), activity).ConfigureAwait(false);
                    // Holding a slot, the write fails only when downstream cancelled (output completed).
                    if (!_output.Writer.TryWrite(result)) { outlet.Cancel(); return; }
                }
                var wait = outlet.WaitAsync(cancellationToken);
                var more = wait.IsCompleted ? wait.GetAwaiter().GetResult() : await _context.ParkAsync(wait, activity).ConfigureAwait(false);
                if (!more) break;
            }
        }
        catch (Exception e)
        {
            Volatile.Write(ref _error, _context.ErrorOr(e));
            outlet.Cancel();
            if (e is not OperationCanceledException) throw;
        }
        finally
        {
            lock (_live)
                if (_live.TryGetValue(substream.Key, out var current) && ReferenceEquals(current, substream)) _live.Remove(substream.Key);
            _context.RemoveStages(substream.Stages);
            ReleaseProducer();
        }
    }

    private void ExpireIdle()
    {
        _expiryDue = false;
        var cutoff = _context.TimeProvider.GetTimestamp() - (long)(_idleTimeout!.Value.TotalSeconds * _context.TimeProvider.TimestampFrequency);
        lock (_live)
            foreach (var substream in _live.Values.Where(s => s.LastActive <= cutoff).ToList())
            {
                _live.Remove(substream.Key);
                substream.Input.Complete();
            }
    }

    private void CompleteAll()
    {
        lock (_live)
        {
            foreach (var substream in _live.Values) substream.Input.Complete(_error);
            _live.Clear();
        }
    }

    private void ReleaseProducer()
    {
        if (Interlocked.Decrement(ref _producers) == 0) _output.Writer.TryComplete();
    }

    private sealed class Substream(TKey key, SpscRing<T> input, Outlet<TOut> output, List<StageRuntime> stages)
    {
        public TKey Key { get; } = key;
        public SpscRing<T> Input { get; } = input;
        public Outlet<TOut> Output { get; } = output;
        public List<StageRuntime> Stages { get; } = stages;
        public long LastActive;
    }
}
