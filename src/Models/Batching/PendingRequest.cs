namespace Vigil.Models.Batching;

/// <summary>One queued request: its payload, ordering keys, deadline timer and completion.</summary>
internal sealed class PendingRequest<TRequest, TResponse>(
    TRequest request, string requestId, int priority, long sequence, long enqueuedTimestamp, DateTimeOffset? deadline)
{
    public TRequest Request { get; } = request;
    public string RequestId { get; } = requestId;
    // Higher runs first; ties run in arrival order (Sequence).
    public int Priority { get; } = priority;
    // Arrival order, unique per batcher.
    public long Sequence { get; } = sequence;
    // TimeProvider timestamp at arrival, for queue-delay and queue-wait measurement.
    public long EnqueuedTimestamp { get; } = enqueuedTimestamp;
    public DateTimeOffset? Deadline { get; } = deadline;
    // Continuations run asynchronously so completing under load never runs caller code inline.
    public TaskCompletionSource<TResponse> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // Fires when the deadline passes; disposed once the request leaves the queue.
    public ITimer? DeadlineTimer { get; set; }
    public CancellationTokenRegistration Cancellation { get; set; }

    /// <summary>Releases the deadline timer and cancellation registration (call once it left the queue).</summary>
    public void Detach()
    {
        DeadlineTimer?.Dispose();
        DeadlineTimer = null;
        Cancellation.Dispose();
    }

    /// <summary>Orders by priority (high first), then arrival.</summary>
    public static readonly IComparer<PendingRequest<TRequest, TResponse>> ByPriority =
        Comparer<PendingRequest<TRequest, TResponse>>.Create((a, b) =>
            a.Priority != b.Priority ? b.Priority.CompareTo(a.Priority) : a.Sequence.CompareTo(b.Sequence));

    /// <summary>Orders by arrival only.</summary>
    public static readonly IComparer<PendingRequest<TRequest, TResponse>> ByArrival =
        Comparer<PendingRequest<TRequest, TResponse>>.Create((a, b) => a.Sequence.CompareTo(b.Sequence));
}
