namespace Vigil.Streams.Fusion;

/// <summary>
/// Completes internal wake-up signals with no synchronization context on the thread, so the
/// chain of awaits between the signal and the parked loop runs inline (a context such as a test
/// framework's would force each await onto a queue). That keeps "a parked loop's task reads
/// completed the moment it is signalled", which <see cref="Materialization.MaterializationContext.WhenIdleAsync"/> relies on.
/// </summary>
internal static class Signal
{
    public static void Set(TaskCompletionSource<bool>? signal)
    {
        if (signal is null) return;
        var context = SynchronizationContext.Current;
        if (context is null) { signal.TrySetResult(true); return; }
        SynchronizationContext.SetSynchronizationContext(null);
        try { signal.TrySetResult(true); }
        finally { SynchronizationContext.SetSynchronizationContext(context); }
    }

    public static void Set(TaskCompletionSource? signal)
    {
        if (signal is null) return;
        var context = SynchronizationContext.Current;
        if (context is null) { signal.TrySetResult(); return; }
        SynchronizationContext.SetSynchronizationContext(null);
        try { signal.TrySetResult(); }
        finally { SynchronizationContext.SetSynchronizationContext(context); }
    }

    /// <summary>Runs <paramref name="action"/> with no synchronization context (e.g. advancing a clock).</summary>
    public static void WithoutContext(Action action)
    {
        var context = SynchronizationContext.Current;
        if (context is null) { action(); return; }
        SynchronizationContext.SetSynchronizationContext(null);
        try { action(); }
        finally { SynchronizationContext.SetSynchronizationContext(context); }
    }
}
