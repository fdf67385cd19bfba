using Vigil.Streams;

namespace Vigil.Streams.Tests;

public sealed class EnvelopeTests
{
    [Fact]
    public void Envelope_WithPayload_KeepsKeyTimeAndDeadline()
    {
        var t = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var e = new Envelope<int>(72, "patient-7", t, Priority: 2, Deadline: t.AddSeconds(5));
        var mapped = e.With("72 bpm");
        Assert.Equal(("patient-7", t, 2, t.AddSeconds(5)), (mapped.Key, mapped.EventTime, mapped.Priority, mapped.Deadline));
        Assert.False(mapped.IsExpired(t.AddSeconds(5)));
        Assert.True(mapped.IsExpired(t.AddSeconds(6)));
    }
}
