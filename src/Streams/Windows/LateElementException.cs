namespace Vigil.Streams.Windows;

/// <summary>
/// Why an element was refused by an event-time window: it arrived after the watermark had
/// closed every window it belongs to. It goes to the dead letters with this error.
/// </summary>
public sealed class LateElementException : Exception
{
    /// <summary>Creates the error for an element at <paramref name="eventTime"/> seen at <paramref name="watermark"/>.</summary>
    public LateElementException(DateTimeOffset eventTime, DateTimeOffset watermark)
        : base($"Element with event time {eventTime:O} arrived after the watermark {watermark:O} closed its window(s).")
    {
        EventTime = eventTime;
        Watermark = watermark;
    }

    /// <summary>The element's event time.</summary>
    public DateTimeOffset EventTime { get; }

    /// <summary>The watermark when it arrived.</summary>
    public DateTimeOffset Watermark { get; }
}
