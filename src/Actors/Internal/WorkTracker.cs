namespace Vigil.Actors.Internal;

/// <summary>
/// Counts work that is queued or running anywhere in an actor system (a message in a mailbox or
/// being handled, a start, a stop in progress, a fired timer not yet handled). Zero means nothing
/// can happen until new input arrives or the clock moves, which is what a test on a manual clock
/// needs to know before asserting that no message came (no wall-clock wait).
/// </summary>
/// <remarks>
/// Invariant kept by every producer: a unit of work increments before the work it replaces
/// decrements (a handler's sends increment before the handler's own message decrements), so the
/// count never passes through zero while work is still in flight.
/// </remarks>
internal sealed class WorkTracker
{
    private readonly object _gate = new();
    // Units of work queued or running.
    private long _pending;
    // Completed when the count next reaches zero; null when nobody waits.
    private TaskCompletionSource? _idle;

    public long Pending => Interlocked.Read(ref _pending);

    public void Increment() => Interlocked.Increment(ref _pending);

    public void Decrement()
    {
        var now = Interlocked.Decrement(ref _pending);
        System.Diagnostics.Debug.Assert(now >= 0, "Work was released more often than it was taken; the idle signal would fire while work is still in flight.");
        if (now != 0) return;
        TaskCompletionSource? idle;
        lock (_gate)
        {
            if (Interlocked.Read(ref _pending) != 0) return;
            idle = _idle;
            _idle = null;
        }
        idle?.TrySetResult();
    }

    public Task WhenIdleAsync()
    {
        lock (_gate)
        {
            if (Interlocked.Read(ref _pending) == 0) return Task.CompletedTask;
            // Continuations run asynchronously so a waiter never runs inside an actor's loop.
            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _idle.Task;
        }
    }
}
