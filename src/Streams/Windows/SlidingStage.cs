using Vigil.Streams.Fusion;
using Vigil.Streams.Materialization;

namespace Vigil.Streams.Stages;

/// <summary>
/// Windows by count: each window holds <c>size</c> consecutive elements and the next one starts
/// <c>step</c> elements later (step = size: tumbling; step &lt; size: sliding, overlapping).
/// Emits: a window as soon as it is full; when upstream completes, the last partial window if it
/// holds elements not emitted in a full window. Completes: after that.
/// </summary>
internal sealed class SlidingStage<T>(Outlet<T> upstream, int size, int step, StageRuntime stage) : Outlet<IReadOnlyList<T>>
{
    private readonly List<T> _buffer = new(size);
    private int _skip;              // elements still to skip when step > size
    private bool _pendingUnemitted; // the buffer holds elements no emitted window contained
    private bool _upstreamDone;
    private bool _flushed;

    public override bool TryPull(out IReadOnlyList<T> item)
    {
        while (!_upstreamDone && upstream.TryPull(out var element))
        {
            stage.In++;
            if (_skip > 0) { _skip--; continue; }
            _buffer.Add(element);
            _pendingUnemitted = true;
            if (_buffer.Count == size)
            {
                item = _buffer.ToArray();
                if (step >= size) { _buffer.Clear(); _skip = step - size; }
                else _buffer.RemoveRange(0, step);
                _pendingUnemitted = false;
                stage.Out++;
                return true;
            }
        }
        if (_upstreamDone && !_flushed)
        {
            _flushed = true;
            if (_pendingUnemitted && _buffer.Count > 0)
            {
                item = _buffer.ToArray();
                stage.Out++;
                return true;
            }
        }
        item = null!;
        return false;
    }

    public override ValueTask<bool> WaitAsync(CancellationToken cancellationToken)
    {
        if (_upstreamDone) return new(!_flushed);
        var wait = upstream.WaitAsync(cancellationToken);
        if (!wait.IsCompleted) return WaitSlowAsync(wait);
        return new(Settle(wait.GetAwaiter().GetResult()));
    }

    private async ValueTask<bool> WaitSlowAsync(ValueTask<bool> wait) => Settle(await wait.ConfigureAwait(false));

    private bool Settle(bool more)
    {
        if (!more) _upstreamDone = true;
        return true;
    }

    public override void Cancel() => upstream.Cancel();
}
