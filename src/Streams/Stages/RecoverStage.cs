using Vigil.Streams.Fusion;
using Vigil.Streams.Materialization;

namespace Vigil.Streams.Stages;

/// <summary>
/// Turns an upstream failure into one last element and a normal completion.
/// Emits: upstream's elements, then <c>handler(error)</c> when upstream fails with an error the
/// predicate accepts. Completes: after the recovery element, or when upstream completes.
/// Fails: with upstream's error when the predicate rejects it.
/// </summary>
internal sealed class RecoverStage<T>(Outlet<T> upstream, Func<Exception, T> handler, Func<Exception, bool> when, StageRuntime stage) : Outlet<T>
{
    private T _recovered = default!;
    private bool _hasRecovered;
    private bool _done;

    public override bool TryPull(out T item)
    {
        if (_hasRecovered)
        {
            _hasRecovered = false;
            _done = true;
            item = _recovered;
            _recovered = default!;
            stage.Out++;
            return true;
        }
        if (!_done)
        {
            try
            {
                if (upstream.TryPull(out item)) { stage.In++; stage.Out++; return true; }
            }
            catch (Exception e) when (e is not OperationCanceledException && when(e))
            {
                Recover(e);
                return TryPull(out item);
            }
        }
        item = default!;
        return false;
    }

    public override ValueTask<bool> WaitAsync(CancellationToken cancellationToken)
    {
        if (_hasRecovered) return new(true);
        if (_done) return new(false);
        var wait = upstream.WaitAsync(cancellationToken);
        if (wait.IsCompletedSuccessfully) return wait;
        return WaitSlowAsync(wait);
    }

    private async ValueTask<bool> WaitSlowAsync(ValueTask<bool> wait)
    {
        try { return await wait.ConfigureAwait(false); }
        catch (Exception e) when (e is not OperationCanceledException && when(e))
        {
            Recover(e);
            return true;
        }
    }

    private void Recover(Exception error)
    {
        upstream.Cancel();
        try { _recovered = handler(error); }
        catch (Exception e) { throw new StageFailedException(stage.Name, e); }
        _hasRecovered = true;
    }

    public override void Cancel()
    {
        _done = true;
        upstream.Cancel();
    }
}
