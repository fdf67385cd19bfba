using System.Collections.Concurrent;
using Vigil.Streams;
using Vigil.Streams.Dsl;
using Vigil.Streams.Fusion;

namespace Vigil.TestKit.Streams;

/// <summary>
/// A source a test pushes into: <see cref="SendNext"/>, <see cref="SendComplete"/>,
/// <see cref="SendError"/>. Sent elements wait in an unbounded queue until the graph pulls them;
/// <see cref="ExpectRequest"/> waits until the graph asks for an element that has not been sent
/// (pending demand). Its <see cref="Source"/> can be materialized once.
/// </summary>
public sealed class TestSourceProbe<T>
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    private readonly ConcurrentQueue<T> _queue = new();
    private readonly object _gate = new();
    private TaskCompletionSource<bool>? _waiter;
    private TaskCompletionSource _demand = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _cancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Exception? _error;
    private bool _completed;
    private int _materialized;
    private long _pulled;

    /// <summary>Creates a probe.</summary>
    public TestSourceProbe()
    {
        Source = new Source<T>(StageNode<T>.Leaf("TestSource", (_, stage) =>
        {
            if (Interlocked.Exchange(ref _materialized, 1) != 0)
                throw new GraphValidationException("A TestSourceProbe can be materialized only once.", [stage.Name]);
            stage.QueueDepth = () => _queue.Count;
            return new ProbeOutlet(this);
        }));
    }

    /// <summary>The source to put in the graph under test.</summary>
    public Source<T> Source { get; }

    /// <summary>Elements sent but not yet pulled by the graph.</summary>
    public int Buffered => _queue.Count;

    /// <summary>Elements the graph has pulled so far.</summary>
    public long Pulled => Interlocked.Read(ref _pulled);

    /// <summary>True while the graph is waiting for an element from this probe.</summary>
    public bool HasPendingDemand { get { lock (_gate) return _waiter is not null; } }

    /// <summary>True once the graph cancelled this source.</summary>
    public bool IsCancelled => _cancelled.Task.IsCompleted;

    /// <summary>Sends elements (they wait until pulled).</summary>
    public TestSourceProbe<T> SendNext(params T[] elements)
    {
        lock (_gate)
        {
            if (_completed) throw new InvalidOperationException("The probe was already completed or failed.");
            foreach (var e in elements) _queue.Enqueue(e);
        }
        Wake();
        return this;
    }

    /// <summary>Completes the source after the sent elements.</summary>
    public void SendComplete()
    {
        lock (_gate) _completed = true;
        Wake();
    }

    /// <summary>Fails the source after the sent elements.</summary>
    public void SendError(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        lock (_gate) { _error = error; _completed = true; }
        Wake();
    }

    /// <summary>Waits (safety timeout, default 30 s) until the graph asks for an element that is not there.</summary>
    public TestSourceProbe<T> ExpectRequest(TimeSpan? timeout = null)
    {
        Task demand;
        lock (_gate) demand = _waiter is not null ? Task.CompletedTask : _demand.Task;
        if (!demand.Wait(timeout ?? DefaultTimeout))
            throw new TimeoutException($"Expected the graph to request an element within {timeout ?? DefaultTimeout}; it did not (Buffered={Buffered}).");
        return this;
    }

    /// <summary>Waits (safety timeout) until the graph cancels this source.</summary>
    public void ExpectCancellation(TimeSpan? timeout = null)
    {
        if (!_cancelled.Task.Wait(timeout ?? DefaultTimeout))
            throw new TimeoutException("Expected the graph to cancel the test source; it did not.");
    }

    private void Wake()
    {
        TaskCompletionSource<bool>? waiter;
        lock (_gate) { waiter = _waiter; _waiter = null; }
        Signal.Set(waiter);
    }

    private sealed class ProbeOutlet(TestSourceProbe<T> probe) : Outlet<T>
    {
        public override bool TryPull(out T item)
        {
            if (!probe._queue.TryDequeue(out item!)) return false;
            Interlocked.Increment(ref probe._pulled);
            return true;
        }

        public override ValueTask<bool> WaitAsync(CancellationToken cancellationToken)
        {
            lock (probe._gate)
            {
                if (!probe._queue.IsEmpty) return new(true);
                if (probe._completed)
                    return probe._error is { } e ? ValueTask.FromException<bool>(e) : new(false);
                // Internal signal: completes synchronously so the graph reads as busy at once.
                probe._waiter = new TaskCompletionSource<bool>();
                var demand = probe._demand;
                probe._demand = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                demand.TrySetResult();
                return new(probe._waiter.Task.WaitAsync(cancellationToken));
            }
        }

        public override void Cancel() => probe._cancelled.TrySetResult();
    }
}
