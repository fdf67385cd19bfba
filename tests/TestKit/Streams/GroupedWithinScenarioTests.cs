using Vigil.Streams;
using Vigil.TestKit.Streams;

namespace Vigil.TestKit.Tests.Streams;

public sealed class GroupedWithinScenarioTests
{
    [Fact]
    public void GroupedWithin_ByCount_EmitsWhenFull()
    {
        var clock = new ManualClock();
        using var materializer = new Materializer(new MaterializerOptions { TimeProvider = clock });
        var source = TestSource.Probe<int>();
        var sink = source.Source.GroupedWithin(3, TimeSpan.FromSeconds(10)).Select(g => string.Join(",", g))
            .RunWith(TestSink.Probe<string>(), materializer);
        sink.Request(10);
        source.SendNext(1, 2);
        sink.ExpectNoMsg(TimeSpan.FromSeconds(1));
        source.SendNext(3, 4);
        sink.ExpectNext("1,2,3").ExpectNoMsg(TimeSpan.Zero);
        source.SendComplete();
        sink.ExpectNext("4").ExpectComplete();
    }

    [Fact]
    public void GroupedWithin_ByTime_EmitsPartialGroupWhenWindowElapses()
    {
        var clock = new ManualClock();
        using var materializer = new Materializer(new MaterializerOptions { TimeProvider = clock });
        var source = TestSource.Probe<int>();
        var sink = source.Source.GroupedWithin(100, TimeSpan.FromSeconds(5)).Select(g => string.Join(",", g))
            .RunWith(TestSink.Probe<string>(), materializer);
        sink.Request(10);
        source.SendNext(1, 2);
        sink.ExpectNoMsg(TimeSpan.FromSeconds(4.9));
        clock.Advance(TimeSpan.FromSeconds(0.1));
        sink.ExpectNext("1,2");
        // No elements, no empty groups however long we wait.
        sink.ExpectNoMsg(TimeSpan.FromMinutes(1));
        source.SendNext(3);
        sink.ExpectNoMsg(TimeSpan.Zero);
        clock.Advance(TimeSpan.FromSeconds(5));
        sink.ExpectNext("3");
    }
}
