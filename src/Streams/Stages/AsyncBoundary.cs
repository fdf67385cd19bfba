using Vigil.Streams.Fusion;
using Vigil.Streams.Materialization;

namespace Vigil.Streams.Stages;

/// <summary>
/// An asynchronous boundary: a pump loop pulls upstream in batches into a bounded
/// single-producer/single-consumer ring that downstream reads, so the two sides run concurrently.
/// Emits: when the ring has elements. Backpressures: upstream when the ring is full.
/// Completes: after upstream completes and the ring drained. Cancels: stops the pump and cancels
/// upstream. Fails: downstream sees upstream's error after the elements before it.
/// With <see cref="OverflowStrategy.Fail"/> a full ring fails the stream instead of waiting.
/// </summary>
internal sealed class AsyncBoundary<T> : Outlet<T>
{
    private const int CancellationCheckInterval = 1024;
    private readonly Outlet<T> _upstream;
    private readonly StageRuntime _stage;
    private readonly SpscRing<T> _ring;
    private readonly bool _failOnOverflow;

    public AsyncBoundary(MaterializationContext context, Outlet<T> upstream, StageRuntime stage, int capacity, bool failOnOverflow = false)
    {
        _upstream = upstream;
        _stage = stage;
        _failOnOverflow = failOnOverflow;
        _ring = new SpscRing<T>(capacity, context.CancellationToken);
        stage.QueueDepth = () => _ring.Count;
        context.Start(stage.Name, PumpAsync);
    }

    public override bool TryPull(out T item)
    {
        if (!_ring.TryRead(out item)) return false;
        _stage.Out++;
        return true;
    }

    public override ValueTask<bool> WaitAsync(CancellationToken cancellationToken) => _ring.WaitToReadAsync(cancellationToken);

    public override void Cancel() => _ring.CancelReader();

    private async Task PumpAsync(LoopActivity activity, CancellationToken cancellationToken)
    {
        var context = _stage.Context;
        try
        {
            var sinceCheck = 0;
            while (true)
            {
                while (_upstream.TryPull(out var element))
                {
                    _stage.In++;
                    while (!_ring.TryWrite(element))
                    {
                        if (_failOnOverflow) throw new BufferOverflowException(_stage.Name, _ring.Capacity);
                        _ring.FlushWrites();
                        var space = _ring.WaitToWriteAsync(cancellationToken);
                        var ok = space.IsCompleted ? space.GetAwaiter().GetResult() : await context.ParkAsync(space, activity).ConfigureAwait(false);
                        if (!ok) { _upstream.Cancel(); return; }
                    }
                    if (++sinceCheck == CancellationCheckInterval)
                    {
                        sinceCheck = 0;
                        cancellationToken.ThrowIfCancellationRequested();
                        if (_ring.IsReaderCancelled) { _upstream.Cancel(); return; }
                    }
                }
                _ring.FlushWrites();
                if (_ring.IsReaderCancelled) { _upstream.Cancel(); return; }
                var wait = _upstream.WaitAsync(cancellationToken);
                var more = wait.IsCompleted ? wait.GetAwaiter().GetResult() : await context.ParkAsync(wait, activity).ConfigureAwait(false);
                if (!more) break;
            }
            _ring.Complete();
        }
        catch (Exception e)
        {
            var error = context.ErrorOr(e);
            _ring.Complete(error);
            _upstream.Cancel();
            // Downstream receives the error and decides (fail the graph, or Recover); an overflow
            // under OverflowStrategy.Fail fails the graph at once, as the strategy promises.
            if (e is BufferOverflowException) context.Fail(e);
        }
    }
}
