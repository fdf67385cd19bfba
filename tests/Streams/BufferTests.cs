using Vigil.Streams;

namespace Vigil.Streams.Tests;

public sealed class BufferTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Buffer_Backpressure_DeliversEverythingInOrder()
    {
        using var materializer = new Materializer();
        var result = await Source.From(Enumerable.Range(0, 10_000)).Buffer(8, OverflowStrategy.Backpressure).Select(x => x)
            .RunWith(Sink.ToList<int>(), materializer).WaitAsync(Safety);
        Assert.Equal(Enumerable.Range(0, 10_000), result);
    }

    [Fact]
    public async Task Async_BoundaryAfterEveryStage_PreservesOrder()
    {
        using var materializer = new Materializer();
        var result = await Source.From(Enumerable.Range(0, 10_000))
            .Select(x => x + 1).Async().Select(x => x * 2).Async(4).Where(x => x % 4 == 0).Async()
            .RunWith(Sink.ToList<int>(), materializer).WaitAsync(Safety);
        Assert.Equal(Enumerable.Range(0, 10_000).Select(x => (x + 1) * 2).Where(x => x % 4 == 0), result);
    }

    [Fact]
    public async Task Buffer_DropNewestWhileDownstreamBlocked_KeepsFirstElementsAndCountsDrops()
    {
        using var materializer = new Materializer();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var queue = Source.Queue<int>(100);
        var handle = queue.Source.Buffer(3, OverflowStrategy.DropNewest).Named("buf")
            .SelectAsync(1, async x => { await gate.Task; return x; })
            .To(Sink.ToList<int>()).Run(materializer);
        await queue.OfferAsync(0);
        await handle.WhenIdleAsync().WaitAsync(Safety); // 0 is now inside SelectAsync
        for (var i = 1; i < 10; i++) await queue.OfferAsync(i);
        queue.Complete();
        await handle.WhenIdleAsync().WaitAsync(Safety);
        gate.SetResult();
        var result = await handle.Value.WaitAsync(Safety);
        // One element is held by SelectAsync, three by the buffer; the rest were dropped on arrival.
        Assert.Equal(new[] { 0, 1, 2, 3 }, result);
        Assert.Equal(6, handle.Metrics.Single(m => m.Stage == "buf").Dropped);
    }

    [Fact]
    public async Task Buffer_DropOldestWhileDownstreamBlocked_KeepsNewestElements()
    {
        using var materializer = new Materializer();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var queue = Source.Queue<int>(100);
        var handle = queue.Source.Buffer(3, OverflowStrategy.DropOldest)
            .SelectAsync(1, async x => { await gate.Task; return x; })
            .To(Sink.ToList<int>()).Run(materializer);
        await queue.OfferAsync(0);
        await handle.WhenIdleAsync().WaitAsync(Safety); // 0 is now inside SelectAsync
        for (var i = 1; i < 10; i++) await queue.OfferAsync(i);
        queue.Complete();
        await handle.WhenIdleAsync().WaitAsync(Safety);
        gate.SetResult();
        Assert.Equal(new[] { 0, 7, 8, 9 }, await handle.Value.WaitAsync(Safety));
    }

    [Fact]
    public async Task Buffer_FailWhenFull_FailsWithOverflowNamingStage()
    {
        using var materializer = new Materializer();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handle = Source.From(Enumerable.Range(0, 100)).Buffer(2, OverflowStrategy.Fail).Named("ingest")
            .SelectAsync(1, async x => { await gate.Task; return x; })
            .To(Sink.Ignore<int>()).Run(materializer);
        var error = await Assert.ThrowsAsync<BufferOverflowException>(() => handle.Completion.WaitAsync(Safety));
        Assert.Equal("ingest", error.Stage);
    }
}
