using Vigil.Streams.Fusion;
using Vigil.Streams.Materialization;

namespace Vigil.Streams.Stages;

/// <summary>
/// Passes the first <c>count</c> elements, then completes and cancels upstream.
/// Emits: while fewer than count were emitted. Completes: after count elements or when upstream completes.
/// </summary>
internal sealed class TakeStage<T>(Outlet<T> upstream, long count, StageRuntime stage) : LinearOutlet<T, T>(upstream)
{
    private long _remaining = count;

    public override bool TryPull(out T item)
    {
        if (_remaining > 0 && Upstream.TryPull(out item))
        {
            stage.In++;
            stage.Out++;
            if (--_remaining == 0) Upstream.Cancel();
            return true;
        }
        item = default!;
        return false;
    }

    public override ValueTask<bool> WaitAsync(CancellationToken cancellationToken) =>
        _remaining > 0 ? Upstream.WaitAsync(cancellationToken) : new(false);
}
