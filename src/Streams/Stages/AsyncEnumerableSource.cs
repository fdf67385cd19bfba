using Vigil.Streams.Fusion;
using Vigil.Streams.Materialization;

namespace Vigil.Streams.Stages;

/// <summary>
/// Emits the elements of an <see cref="IAsyncEnumerable{T}"/>, one <c>MoveNextAsync</c> at a time.
/// Emits: when the pending move completes with an element. Completes: when enumeration ends.
/// Cancels: cancels the enumeration token and disposes the enumerator. Fails: when enumeration throws.
/// </summary>
internal sealed class AsyncEnumerableSource<T>(IAsyncEnumerable<T> items, StageRuntime stage) : Outlet<T>
{
    private readonly CancellationTokenSource _cts = CancellationTokenSource.CreateLinkedTokenSource(stage.Context.CancellationToken);
    private IAsyncEnumerator<T>? _enumerator;
    private Task<bool>? _pending;
    private bool _done;

    public override bool TryPull(out T item)
    {
        item = default!;
        if (_done) return false;
        bool hasNext;
        try
        {
            _enumerator ??= items.GetAsyncEnumerator(_cts.Token);
            if (_pending is { } pending)
            {
                if (!pending.IsCompleted) return false;
                _pending = null;
                hasNext = pending.GetAwaiter().GetResult();
            }
            else
            {
                var move = _enumerator.MoveNextAsync();
                if (!move.IsCompleted) { _pending = move.AsTask(); return false; }
                hasNext = move.GetAwaiter().GetResult();
            }
            if (hasNext) item = _enumerator.Current;
        }
        catch (Exception e) when (e is not OperationCanceledException || !_cts.IsCancellationRequested)
        {
            Finish();
            throw new StageFailedException(stage.Name, e);
        }
        if (!hasNext) { Finish(); return false; }
        stage.Out++;
        return true;
    }

    public override ValueTask<bool> WaitAsync(CancellationToken cancellationToken)
    {
        if (_done) return new(false);
        if (_pending is not { IsCompleted: false } pending) return new(true);
        return WaitPendingAsync(pending, cancellationToken);
    }

    private static async ValueTask<bool> WaitPendingAsync(Task<bool> pending, CancellationToken cancellationToken)
    {
        // The outcome (element, end or error) is read by TryPull; here we only wait for it.
        await ((Task)pending).ContinueWith(static _ => { }, cancellationToken, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default)
            .ConfigureAwait(false);
        return true;
    }

    public override void Cancel()
    {
        _cts.Cancel();
        Finish();
    }

    private void Finish()
    {
        if (_done) return;
        _done = true;
        var enumerator = _enumerator;
        _enumerator = null;
        if (enumerator is not null)
        {
            // A pending MoveNextAsync must finish before DisposeAsync may be called.
            var pending = _pending ?? Task.FromResult(false);
            _ = pending.ContinueWith(async _ =>
            {
                try { await enumerator.DisposeAsync().ConfigureAwait(false); } catch { /* already finishing */ }
            }, TaskScheduler.Default);
        }
        _cts.Dispose();
    }
}
