using Vigil.Streams.Fusion;
using Vigil.Streams.Materialization;

namespace Vigil.Streams.Stages;

/// <summary>
/// Chunks elements into groups of at most <c>maxCount</c>, closing a group early when
/// <c>maxDuration</c> has passed (on the materializer's clock) since its first element.
/// Emits: a full group, a group whose time ran out, or the partial group when upstream completes
/// (never an empty group). Backpressures: when a group is ready and downstream does not pull
/// (the clock does not drop data: an expired group waits). Completes: after upstream completes
/// and the last group was emitted.
/// </summary>
internal sealed class GroupedWithinStage<T> : Outlet<IReadOnlyList<T>>
{
    private readonly Outlet<T> _upstream;
    private readonly int _maxCount;
    private readonly TimeSpan _maxDuration;
    private readonly StageRuntime _stage;
    private readonly ITimer _timer;
    private List<T> _group;
    private volatile bool _timerFired;
    private TaskCompletionSource<bool>? _timerSignal;
    private Task<bool>? _upstreamWait;
    private bool _upstreamDone;

    public GroupedWithinStage(Outlet<T> upstream, int maxCount, TimeSpan maxDuration, TimeProvider clock, StageRuntime stage)
    {
        _upstream = upstream;
        _maxCount = maxCount;
        _maxDuration = maxDuration;
        _stage = stage;
        _group = new List<T>(Math.Min(maxCount, 1024));
        _timer = clock.CreateTimer(static s => ((GroupedWithinStage<T>)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        stage.QueueDepth = () => _group.Count;
    }

    private void OnTimer()
    {
        _timerFired = true;
        Signal.Set(Interlocked.Exchange(ref _timerSignal, null));
    }

    public override bool TryPull(out IReadOnlyList<T> item)
    {
        while (_group.Count < _maxCount && _upstream.TryPull(out var element))
        {
            _stage.In++;
            if (_group.Count == 0)
            {
                _timerFired = false;
                _timer.Change(_maxDuration, Timeout.InfiniteTimeSpan);
            }
            _group.Add(element);
        }
        if (_group.Count > 0 && (_group.Count >= _maxCount || _timerFired || _upstreamDone))
        {
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _timerFired = false;
            item = _group;
            _group = new List<T>(Math.Min(_maxCount, 1024));
            _stage.Out++;
            return true;
        }
        item = null!;
        return false;
    }

    public override ValueTask<bool> WaitAsync(CancellationToken cancellationToken)
    {
        if (_upstreamDone)
        {
            if (_group.Count > 0) return new(true);
            _timer.Dispose();
            return new(false);
        }
        if (_group.Count > 0 && _timerFired) return new(true);
        if (_upstreamWait is null)
        {
            var wait = _upstream.WaitAsync(cancellationToken);
            if (wait.IsCompleted)
            {
                if (wait.GetAwaiter().GetResult()) return new(true);
                _upstreamDone = true;
                return WaitAsync(cancellationToken);
            }
            _upstreamWait = wait.AsTask();
        }
        return WaitEitherAsync(cancellationToken);
    }

    private async ValueTask<bool> WaitEitherAsync(CancellationToken cancellationToken)
    {
        var upstreamWait = _upstreamWait!;
        if (_group.Count > 0)
        {
            var signal = new TaskCompletionSource<bool>();
            Volatile.Write(ref _timerSignal, signal);
            if (_timerFired) return true;
                await Task.WhenAny(upstreamWait, signal.Task).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await ((Task)upstreamWait).ContinueWith(static _ => { }, cancellationToken, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
        }
        if (upstreamWait.IsCompleted)
        {
            _upstreamWait = null;
            if (!await upstreamWait.ConfigureAwait(false)) _upstreamDone = true;
        }
        return !_upstreamDone || _group.Count > 0;
    }

    public override void Cancel()
    {
        _timer.Dispose();
        _upstream.Cancel();
    }
}
