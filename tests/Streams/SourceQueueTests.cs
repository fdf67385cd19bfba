using Vigil.Streams;

namespace Vigil.Streams.Tests;

public sealed class SourceQueueTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Queue_OfferThenComplete_DeliversEverythingOffered()
    {
        using var materializer = new Materializer();
        var queue = Source.Queue<int>(4);
        var result = queue.Source.Select(x => x + 1).RunWith(Sink.ToList<int>(), materializer);
        for (var i = 0; i < 100; i++) Assert.True(await queue.OfferAsync(i).AsTask().WaitAsync(Safety));
        queue.Complete();
        Assert.Equal(Enumerable.Range(1, 100), await result.WaitAsync(Safety));
    }

    [Fact]
    public async Task Queue_Fail_FailsStreamWithError()
    {
        using var materializer = new Materializer();
        var queue = Source.Queue<int>(4);
        var result = queue.Source.RunWith(Sink.ToList<int>(), materializer);
        queue.Fail(new IOException("device disconnected"));
        var error = await Assert.ThrowsAsync<StageFailedException>(() => result.WaitAsync(Safety));
        Assert.IsType<IOException>(error.InnerException);
    }

    [Fact]
    public void Queue_MaterializedTwice_IsRefused()
    {
        using var materializer = new Materializer();
        var queue = Source.Queue<int>(4);
        queue.Source.RunWith(Sink.Ignore<int>(), materializer);
        Assert.IsType<GraphValidationException>(Record.Exception(() => { _ = queue.Source.RunWith(Sink.Ignore<int>(), materializer); }));
        queue.Complete();
    }

    [Fact]
    public async Task Queue_AfterCancel_OfferReturnsFalse()
    {
        using var materializer = new Materializer();
        var queue = Source.Queue<int>(2);
        var handle = queue.Source.To(Sink.Ignore<int>()).Run(materializer);
        handle.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => handle.Completion.WaitAsync(Safety));
        Assert.False(await queue.OfferAsync(1).AsTask().WaitAsync(Safety));
    }
}
