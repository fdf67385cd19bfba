using Vigil.Streams.Fusion;
using Vigil.Streams.Materialization;

namespace Vigil.Streams.Stages;

/// <summary>
/// Merges several inputs into one, fused: pulls the inputs round robin so none starves.
/// Emits: whenever any input has an element. Backpressures: every input while downstream does
/// not pull. Completes: when all inputs completed (or, with eagerComplete, when any did).
/// Cancels: all inputs. Fails: when any input fails.
/// </summary>
internal sealed class MergeStage<T>(Outlet<T>[] inputs, bool eagerComplete, StageRuntime stage) : Outlet<T>
{
    private readonly bool[] _done = new bool[inputs.Length];
    private readonly Task<bool>?[] _pending = new Task<bool>?[inputs.Length];
    private int _next;
    private int _remaining = inputs.Length;

    public override bool TryPull(out T item)
    {
        for (var k = 0; k < inputs.Length && _remaining > 0; k++)
        {
            var i = (_next + k) % inputs.Length;
            if (_done[i] || !inputs[i].TryPull(out item)) continue;
            _next = (i + 1) % inputs.Length;
            stage.In++;
            stage.Out++;
            return true;
        }
        item = default!;
        return false;
    }

    public override ValueTask<bool> WaitAsync(CancellationToken cancellationToken)
    {
        if (_remaining == 0) return new(false);
        for (var i = 0; i < inputs.Length; i++)
        {
            if (_done[i]) continue;
            if (_pending[i] is { } pending)
            {
                if (!pending.IsCompleted) continue;
                _pending[i] = null;
                if (pending.GetAwaiter().GetResult()) return new(true);
                if (InputDone(i)) return new(false);
                continue;
            }
            var wait = inputs[i].WaitAsync(cancellationToken);
            if (wait.IsCompleted)
            {
                if (wait.GetAwaiter().GetResult()) return new(true);
                if (InputDone(i)) return new(false);
            }
            else _pending[i] = wait.AsTask();
        }
        if (_remaining == 0) return new(false);
        return WaitAnyAsync(cancellationToken);
    }

    private bool InputDone(int index)
    {
        _done[index] = true;
        _remaining--;
        if (eagerComplete && _remaining > 0)
        {
            for (var i = 0; i < inputs.Length; i++) if (!_done[i]) { _done[i] = true; inputs[i].Cancel(); }
            _remaining = 0;
        }
        return _remaining == 0;
    }

    private async ValueTask<bool> WaitAnyAsync(CancellationToken cancellationToken)
    {
        var waits = _pending.Where(p => p is not null).Cast<Task>().ToArray();
        await Task.WhenAny(waits).WaitAsync(cancellationToken).ConfigureAwait(false);
        return true; // the next WaitAsync/TryPull sorts out which input moved
    }

    public override void Cancel()
    {
        for (var i = 0; i < inputs.Length; i++) if (!_done[i]) { _done[i] = true; inputs[i].Cancel(); }
        _remaining = 0;
    }
}
