using System.Diagnostics;
using Vigil.Streams.Fusion;
using Vigil.Streams.Materialization;

namespace Vigil.Streams.Stages;

/// <summary>
/// Runs an asynchronous function on up to <c>parallelism</c> elements at once and emits the
/// results in upstream order.
/// Emits: when the oldest in-flight call completed. Backpressures: when <c>parallelism</c> calls
/// are in flight or the oldest result is not pulled. Completes: when upstream completed and all
/// calls finished. Fails: when a call throws or faults and the decider says Stop (Resume/Restart
/// dead-letter the element and go on).
/// </summary>
internal sealed class SelectAsyncStage<TIn, TOut>(Outlet<TIn> upstream, int parallelism, Func<TIn, Task<TOut>> selector, StageRuntime stage)
    : Outlet<TOut>
{
    private readonly Queue<(TIn Element, Task<TOut> Call, long Started)> _inFlight = new(parallelism);
    private Task<bool>? _upstreamWait;
    private bool _upstreamDone;

    public override bool TryPull(out TOut item)
    {
        Fill();
        while (_inFlight.Count > 0 && _inFlight.Peek().Call.IsCompleted)
        {
            var (element, call, started) = _inFlight.Dequeue();
            if (call.IsCompletedSuccessfully)
            {
                item = call.Result;
                stage.ProcessingTime.Record((long)(Stopwatch.GetElapsedTime(started).Ticks * 100));
                stage.Out++;
                Fill();
                return true;
            }
            stage.Handle(call.Exception?.InnerException ?? new TaskCanceledException(call), element);
            Fill();
        }
        item = default!;
        return false;
    }

    private void Fill()
    {
        while (!_upstreamDone && _inFlight.Count < parallelism && upstream.TryPull(out var element))
        {
            stage.In++;
            Task<TOut> call;
            try { call = selector(element) ?? throw new InvalidOperationException("SelectAsync function returned a null task."); }
            catch (Exception e) { stage.Handle(e, element); continue; }
            _inFlight.Enqueue((element, call, Stopwatch.GetTimestamp()));
        }
    }

    public override ValueTask<bool> WaitAsync(CancellationToken cancellationToken)
    {
        if (_inFlight.Count > 0 && _inFlight.Peek().Call.IsCompleted) return new(true);
        if (_upstreamDone) return _inFlight.Count == 0 ? new(false) : WaitHeadAsync(cancellationToken);
        if (_inFlight.Count >= parallelism) return WaitHeadAsync(cancellationToken);
        if (_upstreamWait is null)
        {
            var wait = upstream.WaitAsync(cancellationToken);
            if (wait.IsCompleted)
            {
                if (wait.GetAwaiter().GetResult()) return new(true);
                _upstreamDone = true;
                return _inFlight.Count == 0 ? new(false) : WaitHeadAsync(cancellationToken);
            }
            _upstreamWait = wait.AsTask();
        }
        return WaitEitherAsync(cancellationToken);
    }

    private async ValueTask<bool> WaitHeadAsync(CancellationToken cancellationToken)
    {
        await ((Task)_inFlight.Peek().Call).ContinueWith(static _ => { }, cancellationToken, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
        return true;
    }

    private async ValueTask<bool> WaitEitherAsync(CancellationToken cancellationToken)
    {
        var upstreamWait = _upstreamWait!;
        if (_inFlight.Count > 0)
            await Task.WhenAny(upstreamWait, _inFlight.Peek().Call).WaitAsync(cancellationToken).ConfigureAwait(false);
        else
            await ((Task)upstreamWait).ContinueWith(static _ => { }, cancellationToken, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
        if (upstreamWait.IsCompleted)
        {
            _upstreamWait = null;
            if (!await upstreamWait.ConfigureAwait(false)) _upstreamDone = true;
        }
        return !_upstreamDone || _inFlight.Count > 0;
    }

    public override void Cancel() => upstream.Cancel();
}
