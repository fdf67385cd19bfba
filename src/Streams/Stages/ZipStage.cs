using Vigil.Streams.Fusion;
using Vigil.Streams.Materialization;

namespace Vigil.Streams.Stages;

/// <summary>
/// Pairs the n-th element of one input with the n-th of the other, fused.
/// Emits: when both inputs have an element. Backpressures: an input whose element waits for its
/// partner. Completes: when either input completes (an unpaired element is discarded, as in
/// LINQ Zip). Cancels: both inputs. Fails: when either input fails.
/// </summary>
internal sealed class ZipStage<T1, T2, TOut>(Outlet<T1> left, Outlet<T2> right, Func<T1, T2, TOut> combine, StageRuntime stage) : Outlet<TOut>
{
    private T1 _left = default!;
    private bool _hasLeft;
    private Task<bool>? _leftWait;
    private Task<bool>? _rightWait;
    private bool _done;

    public override bool TryPull(out TOut item)
    {
        if (!_done)
        {
            if (!_hasLeft && left.TryPull(out _left)) { _hasLeft = true; stage.In++; }
            if (_hasLeft && right.TryPull(out var r))
            {
                stage.In++;
                _hasLeft = false;
                item = combine(_left, r);
                _left = default!;
                stage.Out++;
                return true;
            }
        }
        item = default!;
        return false;
    }

    public override ValueTask<bool> WaitAsync(CancellationToken cancellationToken)
    {
        if (_done) return new(false);
        if (!_hasLeft) return Wait(ref _leftWait, left.WaitAsync, cancellationToken);
        return Wait(ref _rightWait, right.WaitAsync, cancellationToken);
    }

    private ValueTask<bool> Wait(ref Task<bool>? cached, Func<CancellationToken, ValueTask<bool>> wait, CancellationToken cancellationToken)
    {
        if (cached is null)
        {
            var w = wait(cancellationToken);
            if (w.IsCompleted) return Settle(w.GetAwaiter().GetResult());
            cached = w.AsTask();
        }
        if (!cached.IsCompleted) return AwaitAsync(cached);
        var result = cached.GetAwaiter().GetResult();
        cached = null;
        return Settle(result);
    }

    private static async ValueTask<bool> AwaitAsync(Task<bool> task)
    {
        await ((Task)task).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
        return true; // the next WaitAsync reads the cached result
    }

    private ValueTask<bool> Settle(bool more)
    {
        if (more) return new(true);
        Cancel();
        return new(false);
    }

    public override void Cancel()
    {
        if (_done) return;
        _done = true;
        left.Cancel();
        right.Cancel();
    }
}
