using Vigil.Streams.Fusion;
using Vigil.Streams.Materialization;

namespace Vigil.Streams.Stages;

/// <summary>
/// Emits the elements of an <see cref="IEnumerable{T}"/> in order, pulled synchronously.
/// Emits: when pulled and the enumerator has a next element. Completes: when the enumerator ends.
/// Cancels: disposes the enumerator. Fails: when enumeration throws.
/// </summary>
internal sealed class EnumerableSource<T>(IEnumerable<T> items, StageRuntime stage) : Outlet<T>
{
    private IEnumerator<T>? _enumerator;
    private bool _done;

    public override bool TryPull(out T item)
    {
        if (!_done)
        {
            try
            {
                _enumerator ??= items.GetEnumerator();
                if (_enumerator.MoveNext())
                {
                    item = _enumerator.Current;
                    stage.Out++;
                    return true;
                }
            }
            catch (Exception e)
            {
                Finish();
                throw new StageFailedException(stage.Name, e);
            }
            Finish();
        }
        item = default!;
        return false;
    }

    public override ValueTask<bool> WaitAsync(CancellationToken cancellationToken) => new(!_done);

    public override void Cancel() => Finish();

    private void Finish()
    {
        _done = true;
        _enumerator?.Dispose();
        _enumerator = null;
    }
}
