using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using Vigil.Streams.Dsl;
using Vigil.Streams.Supervision;
using Vigil.Streams.Windows;

namespace Vigil.Streams.Tests;

public sealed class EventTimeWindowStageTests() : Akka.TestKit.Xunit2.TestKit(VirtualTime.Config)
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 8, 0, 0, TimeSpan.Zero);

    private sealed record Reading(int Value, DateTimeOffset Time);

    private static Reading At(int seconds) => new(seconds, T0.AddSeconds(seconds));

    private static string Show(EventTimeWindow<Reading> w) => string.Join(",", w.Items.Select(e => e.Value));

    [Fact]
    public async Task OutOfOrderWithinLateness_LandsInItsWindowSorted()
    {
        // A burst upload: 12 s arrives before 8 s; lateness 5 s lets 8 s still count for [0,10).
        var windows = await Source.From(new[] { At(1), At(12), At(8), At(3), At(16), At(21) })
            .WindowByEventTime(e => e.Time, TimeSpan.FromSeconds(10), allowedLateness: TimeSpan.FromSeconds(5))
            .RunWith(Sink.Seq<EventTimeWindow<Reading>>(), Sys.Materializer()).WaitAsync(Safety);
        Assert.Equal(new[] { T0, T0.AddSeconds(10), T0.AddSeconds(20) }, windows.Select(w => w.Start));
        Assert.Equal(new[] { "1,3,8", "12,16", "21" }, windows.Select(Show));
    }

    [Fact]
    public async Task TooLate_GoesToTheLateOutputWithWatermark()
    {
        var late = new List<DeadLetter<Reading>>();
        // 2 s arrives after the watermark (30 - 5 = 25 s) closed [0,10).
        var windows = await Source.From(new[] { At(1), At(30), At(2) })
            .WindowByEventTime(e => e.Time, TimeSpan.FromSeconds(10), allowedLateness: TimeSpan.FromSeconds(5),
                lateElements: Sink.ForEach<DeadLetter<Reading>>(d => { lock (late) late.Add(d); }).MapMaterializedValue(_ => NotUsed.Instance),
                name: "hr-windows")
            .RunWith(Sink.Seq<EventTimeWindow<Reading>>(), Sys.Materializer()).WaitAsync(Safety);
        Assert.Equal(new[] { "1", "30" }, windows.Select(Show));
        lock (late)
        {
            var letter = Assert.Single(late);
            Assert.Equal("hr-windows", letter.Stage);
            Assert.Equal(2, letter.Element.Value);
            Assert.Equal(T0.AddSeconds(25), Assert.IsType<LateElementException>(letter.Error).Watermark);
        }
    }

    [Fact]
    public async Task Sliding_ElementInEveryOverlappingWindow()
    {
        var windows = await Source.From(new[] { At(1), At(6), At(11) })
            .WindowByEventTime(e => e.Time, TimeSpan.FromSeconds(10), slide: TimeSpan.FromSeconds(5))
            .RunWith(Sink.Seq<EventTimeWindow<Reading>>(), Sys.Materializer()).WaitAsync(Safety);
        Assert.Equal(new[] { "1", "1,6", "6,11", "11" }, windows.Select(Show));
        Assert.Equal(T0.AddSeconds(-5), windows[0].Start);
    }

    [Fact]
    public void InvalidSizes_AreRefusedWhenBuilt()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new EventTimeWindowStage<Reading>(e => e.Time, TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EventTimeWindowStage<Reading>(e => e.Time, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10)));
    }
}
