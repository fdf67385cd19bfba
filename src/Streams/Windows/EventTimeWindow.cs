namespace Vigil.Streams;

/// <summary>The elements whose event time falls in [<paramref name="Start"/>, <paramref name="End"/>), ordered by event time.</summary>
/// <param name="Start">Inclusive window start (event time).</param>
/// <param name="End">Exclusive window end (event time).</param>
/// <param name="Items">The elements, sorted by event time (stable for equal times).</param>
public sealed record EventTimeWindow<T>(DateTimeOffset Start, DateTimeOffset End, IReadOnlyList<T> Items);

/// <summary>
/// Why an element was refused by an event-time window: it arrived after the watermark had
/// closed every window it belongs to. It goes to the dead letters with this error.
/// </summary>
public sealed class LateElementException(DateTimeOffset eventTime, DateTimeOffset watermark)
    : Exception($"Element with event time {eventTime:O} arrived after the watermark {watermark:O} closed its window(s).")
{
    /// <summary>The element's event time.</summary>
    public DateTimeOffset EventTime { get; } = eventTime;

    /// <summary>The watermark when it arrived.</summary>
    public DateTimeOffset Watermark { get; } = watermark;
}
