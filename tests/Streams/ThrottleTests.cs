using Vigil.Streams;
using Vigil.TestKit;
using Vigil.TestKit.Streams;

namespace Vigil.Streams.Tests;

public sealed class ThrottleTests
{
    [Fact]
    public void Throttle_OnePerSecondBurstTwo_ReleasesByTheClock()
    {
        var clock = new ManualClock();
        using var materializer = new Materializer(new MaterializerOptions { TimeProvider = clock });
        var sink = Source.From(Enumerable.Range(1, 5)).Throttle(1, TimeSpan.FromSeconds(1), maximumBurst: 2)
            .RunWith(TestSink.Probe<int>(), materializer);
        sink.Request(10);
        // The burst goes at once, then one element per second of clock time.
        sink.ExpectNext(1, 2).ExpectNoMsg(TimeSpan.FromMilliseconds(999));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        sink.ExpectNext(3).ExpectNoMsg(TimeSpan.FromMilliseconds(999));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        sink.ExpectNext(4);
    }
}
