using Vigil.Streams;

namespace Vigil.Streams.Tests;

public sealed class SourceTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);

    private static async IAsyncEnumerable<int> Numbers(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return i;
        }
    }

    [Fact]
    public async Task FromAsyncEnumerable_YieldingSequence_EmitsAllInOrder()
    {
        using var materializer = new Materializer();
        var result = await Source.FromAsyncEnumerable(Numbers(50)).RunWith(Sink.ToList<int>(), materializer).WaitAsync(Safety);
        Assert.Equal(Enumerable.Range(0, 50), result);
    }

    [Fact]
    public async Task Failed_Source_FailsSinkTask()
    {
        using var materializer = new Materializer();
        var task = Source.Failed<int>(new FormatException("corrupt")).RunWith(Sink.ToList<int>(), materializer);
        await Assert.ThrowsAsync<FormatException>(() => task.WaitAsync(Safety));
    }

    [Fact]
    public async Task Take_MoreAvailable_CompletesAfterCount()
    {
        using var materializer = new Materializer();
        var result = await Source.From(Enumerable.Range(0, int.MaxValue)).Take(5).RunWith(Sink.ToList<int>(), materializer).WaitAsync(Safety);
        Assert.Equal(new[] { 0, 1, 2, 3, 4 }, result);
    }

    [Fact]
    public async Task Sink_FirstAndAggregate_MaterializeValues()
    {
        using var materializer = new Materializer();
        Assert.Equal(7, await Source.From(new[] { 7, 8 }).RunWith(Sink.First<int>(), materializer).WaitAsync(Safety));
        Assert.Equal(15, await Source.From(new[] { 1, 2, 3, 4, 5 }).RunWith(Sink.Aggregate<int, int>(0, (a, x) => a + x), materializer).WaitAsync(Safety));
    }
}
