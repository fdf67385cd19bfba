namespace Vigil.Models.Onnx.Binding;

/// <summary>
/// Counts the runs in flight on a session so that <c>Dispose</c> during a run is safe: the native
/// session is released by whichever ends last, the disposer or the last run. The count holds one
/// reference for the owner; <see cref="TryEnter"/> adds one per run unless disposal has begun.
/// </summary>
internal sealed class SessionLifetime(Action release)
{
    // Owner's reference (1) plus one per run in flight; 0 means released.
    private int _references = 1;
    // 1 once the owner has disposed (its reference is dropped only once).
    private int _disposed;

    public bool IsDisposed => Volatile.Read(ref _disposed) == 1;

    /// <summary>Adds a run reference; false when the session is disposed or being disposed.</summary>
    public bool TryEnter()
    {
        if (IsDisposed) return false;
        while (true)
        {
            var n = Volatile.Read(ref _references);
            if (n == 0) return false;
            if (Interlocked.CompareExchange(ref _references, n + 1, n) == n)
            {
                if (!IsDisposed) return true;
                Exit();
                return false;
            }
        }
    }

    /// <summary>Drops a run reference (the last one releases the session).</summary>
    public void Exit()
    {
        if (Interlocked.Decrement(ref _references) == 0) release();
    }

    /// <summary>Drops the owner's reference once.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) Exit();
    }
}
