using System.Collections.Concurrent;
using System.Diagnostics;
using Vigil.Streams.Fusion;
using Vigil.Streams.Materialization;

namespace Vigil.Streams.Stages;

/// <summary>
/// Runs an asynchronous function on up to <c>parallelism</c> elements at once and emits each
/// result as soon as its call completes (completion order, not upstream order).
/// Emits: when any in-flight call completed. Backpressures: when <c>parallelism</c> calls are in
/// flight. Completes: when upstream completed and all calls finished. Fails: when a call faults
/// and the decider says Stop (Resume/Restart dead-letter the element).
/// </summary>
internal sealed class SelectAsyncUnorderedStage<TIn, TOut>(Outlet<TIn> upstream, int parallelism, Func<TIn, Task<TOut>> selector, StageRuntime stage)
    : Outlet<TOut>
{
    private readonly ConcurrentQueue<(TIn Element, Task<TOut> Call, long Started)> _finished = new();
    private TaskCompletionSource<bool>? _signal;
    private Task<bool>? _upstreamWait;
    private int _inFlight;
    private bool _upstreamDone;

    public override bool TryPull(out TOut item)
    {
        Fill();
        while (_finished.TryDequeue(out var done))
        {
            _inFlight--;
            if (done.Call.IsCompletedSuccessfully)
            {
                item = done.Call.Result;
                stage.ProcessingTime.Record((long)(Stopwatch.GetElapsedTime(done.Started).Ticks * 100));
                stage.Out++;
                Fill();
                return true;
            }
            stage.Handle(done.Call.Exception?.InnerException ?? new TaskCanceledException(done.Call), done.Element);
            Fill();
        }
        item = default!;
        return false;
    }

    private void Fill()
    {
        while (!_upstreamDone && _inFlight < parallelism && upstream.TryPull(out var element))
        {
            stage.In++;
            Task<TOut> call;
            try { call = selector(element) ?? throw new InvalidOperationException("SelectAsyncUnordered function returned a null task."); }
            catch (Exception e) { stage.Handle(e, element); continue; }
            _inFlight++;
            var entry = (element, call, Stopwatch.GetTimestamp());
            call.ContinueWith(_ =>
            {
                _finished.Enqueue(entry);
                Signal.Set(Interlocked.Exchange(ref _signal, null));
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    public override ValueTask<bool> WaitAsync(CancellationToken cancellationToken)
    {
        if (!_finished.IsEmpty) return new(true);
        if (_upstreamDone && _inFlight == 0) return new(false);
        if (!_upstreamDone && _inFlight < parallelism && _upstreamWait is null)
        {
            var wait = upstream.WaitAsync(cancellationToken);
            if (wait.IsCompleted)
            {
                if (wait.GetAwaiter().GetResult()) return new(true);
                _upstreamDone = true;
                if (_inFlight == 0) return new(false);
            }
            else _upstreamWait = wait.AsTask();
        }
        return WaitAnyAsync(cancellationToken);
    }

    private async ValueTask<bool> WaitAnyAsync(CancellationToken cancellationToken)
    {
        var signal = new TaskCompletionSource<bool>();
        Volatile.Write(ref _signal, signal);
        if (!_finished.IsEmpty) return true;
        var upstreamWait = _inFlight < parallelism ? _upstreamWait : null;
        if (upstreamWait is not null)
            await Task.WhenAny(upstreamWait, signal.Task).WaitAsync(cancellationToken).ConfigureAwait(false);
        else
            await signal.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (upstreamWait is { IsCompleted: true })
        {
            _upstreamWait = null;
            if (!await upstreamWait.ConfigureAwait(false)) _upstreamDone = true;
        }
        return !_upstreamDone || _inFlight > 0 || !_finished.IsEmpty;
    }

    public override void Cancel() => upstream.Cancel();
}
