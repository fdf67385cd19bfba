using Vigil.Streams;
using Vigil.TestKit;
using Vigil.TestKit.Streams;

namespace Vigil.Streams.Tests;

public sealed class RestartFlowTests
{
    [Fact]
    public void RestartFlow_InnerFails_RebuiltAfterBackoffAndContinuesWithNextElement()
    {
        var clock = new ManualClock();
        using var materializer = new Materializer(new MaterializerOptions { TimeProvider = clock });
        var builds = 0;
        var flow = RestartFlow.OnFailuresWithBackoff(new RestartSettings(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10)), () =>
        {
            Interlocked.Increment(ref builds);
            return Flow.Create<int>().Select(x => x == 2 ? throw new InvalidOperationException("model crashed") : x * 10);
        });
        var source = TestSource.Probe<int>();
        var sink = source.Source.Via(flow).RunWith(TestSink.Probe<int>(), materializer);
        sink.Request(10);
        source.SendNext(1, 2, 3);
        sink.ExpectNext(10).ExpectNoMsg(TimeSpan.FromSeconds(1.5));
        Assert.Equal(1, builds);
        sink.ExpectNoMsg(TimeSpan.Zero);
        clock.Advance(TimeSpan.FromSeconds(0.5));
        sink.ExpectNext(30);
        Assert.Equal(2, builds);
        Assert.False(source.IsCancelled);
    }
}
