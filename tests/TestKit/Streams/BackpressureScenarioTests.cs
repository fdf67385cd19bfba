using Vigil.Streams;
using Vigil.TestKit.Streams;

namespace Vigil.TestKit.Tests.Streams;

public sealed class BackpressureScenarioTests
{
    [Fact]
    public async Task SlowSink_FastProducer_BufferedElementsStayBounded()
    {
        using var materializer = new Materializer(new MaterializerOptions { TimeProvider = new ManualClock(), DefaultBufferSize = 16 });
        var queue = Source.Queue<int>(8);
        var sink = queue.Source.Select(x => x * 2).Async().Select(x => x + 1).RunWith(TestSink.Probe<int>(), materializer);

        // Offer until the graph stops accepting: with no demand, only the buffers fill.
        var accepted = 0;
        Task<bool>? waiting = null;
        while (accepted < 10_000)
        {
            var offer = queue.OfferAsync(accepted).AsTask();
            sink.ExpectNoMsg(TimeSpan.Zero); // lets the graph settle: idle means it will take no more
            if (!offer.IsCompleted) { waiting = offer; break; }
            accepted++;
        }
        Assert.NotNull(waiting);
        // Queue (8) + async boundary (16) + at most one element held by a pump.
        Assert.InRange(accepted, 8 + 16, 8 + 16 + 1);

        sink.Request(1).ExpectNext(1);
        sink.Request(long.MaxValue / 2);
        for (var i = 1; i < accepted; i++) Assert.Equal(i * 2 + 1, sink.ExpectNextElement());
        // The waiting offer goes in once the graph makes room; completing before it has would refuse it.
        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(30)));
        queue.Complete();
        Assert.Equal(accepted * 2 + 1, sink.ExpectNextElement()); // the element whose offer was waiting
        sink.ExpectComplete();
    }
}
