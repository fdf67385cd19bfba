using Vigil.Streams;

namespace Vigil.Streams.Tests;

public sealed class WindowByEventTimeTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 8, 0, 0, TimeSpan.Zero);

    private static Envelope<int> At(int seconds, int value) => new(value, "patient-1", T0.AddSeconds(seconds));

    [Fact]
    public async Task WindowByEventTime_OutOfOrderWithinLateness_LandsInItsWindowSorted()
    {
        using var materializer = new Materializer();
        // A burst upload: 12 s arrives before 8 s; lateness 5 s lets 8 s still count for [0,10).
        var input = new[] { At(1, 1), At(12, 12), At(8, 8), At(3, 3), At(16, 16), At(21, 21) };
        var windows = await Source.From(input).WindowByEventTime(e => e.EventTime, TimeSpan.FromSeconds(10), allowedLateness: TimeSpan.FromSeconds(5))
            .RunWith(Sink.ToList<EventTimeWindow<Envelope<int>>>(), materializer).WaitAsync(Safety);
        Assert.Equal(new[] { T0, T0.AddSeconds(10), T0.AddSeconds(20) }, windows.Select(w => w.Start));
        Assert.Equal(new[] { "1,3,8", "12,16", "21" }, windows.Select(w => string.Join(",", w.Items.Select(e => e.Payload))));
    }

    [Fact]
    public async Task WindowByEventTime_TooLate_GoesToDeadLettersWithReason()
    {
        using var materializer = new Materializer();
        var input = new[] { At(1, 1), At(30, 30), At(2, 2) }; // 2 s arrives after the watermark (25 s) closed [0,10)
        var handle = Source.From(input).WindowByEventTime(e => e.EventTime, TimeSpan.FromSeconds(10), allowedLateness: TimeSpan.FromSeconds(5))
            .Named("hr-windows").To(Sink.ToList<EventTimeWindow<Envelope<int>>>()).Run(materializer);
        var windows = await handle.Value.WaitAsync(Safety);
        Assert.Equal(new[] { "1", "30" }, windows.Select(w => string.Join(",", w.Items.Select(e => e.Payload))));
        var letter = Assert.Single(handle.DeadLetters);
        Assert.Equal("hr-windows", letter.Stage);
        Assert.Equal(2, ((Envelope<int>)letter.Element!).Payload);
        var late = Assert.IsType<LateElementException>(letter.Error);
        Assert.Equal(T0.AddSeconds(25), late.Watermark);
        Assert.Equal(1, handle.Metrics.Single(m => m.Stage == "hr-windows").DeadLettered);
    }

    [Fact]
    public async Task WindowByEventTime_Sliding_ElementInEveryOverlappingWindow()
    {
        using var materializer = new Materializer();
        var input = new[] { At(1, 1), At(6, 6), At(11, 11) };
        var windows = await Source.From(input).WindowByEventTime(e => e.EventTime, TimeSpan.FromSeconds(10), slide: TimeSpan.FromSeconds(5))
            .RunWith(Sink.ToList<EventTimeWindow<Envelope<int>>>(), materializer).WaitAsync(Safety);
        Assert.Equal(new[] { "1", "1,6", "6,11", "11" }, windows.Select(w => string.Join(",", w.Items.Select(e => e.Payload))));
        Assert.Equal(T0.AddSeconds(-5), windows[0].Start);
    }
}
