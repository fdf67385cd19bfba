namespace Vigil.Streams;

/// <summary>
/// An element with the metadata clinical streams need: whose it is (<paramref name="Key"/>:
/// patient or device), when it was measured (<paramref name="EventTime"/>, not when it arrived),
/// and optionally a priority and a deadline after which a result is no longer useful.
/// </summary>
/// <param name="Payload">The element.</param>
/// <param name="Key">Patient or device identity, used for keyed substreams.</param>
/// <param name="EventTime">When the value was measured (event time).</param>
/// <param name="Priority">Higher is more urgent (0 by default).</param>
/// <param name="Deadline">When the result stops being useful (null: none).</param>
public readonly record struct Envelope<T>(T Payload, string Key, DateTimeOffset EventTime, int Priority = 0, DateTimeOffset? Deadline = null)
{
    /// <summary>True when a deadline is set and <paramref name="now"/> is past it.</summary>
    public bool IsExpired(DateTimeOffset now) => Deadline is { } d && now > d;

    /// <summary>The same metadata around a new payload (after a transformation).</summary>
    public Envelope<TOut> With<TOut>(TOut payload) => new(payload, Key, EventTime, Priority, Deadline);
}
