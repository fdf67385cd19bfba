using Vigil.Streams;

namespace Vigil.Streams.Tests;

public sealed class WindowByCountTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Grouped_Tumbling_EmitsConsecutiveChunksAndPartialLast()
    {
        using var materializer = new Materializer();
        var windows = await Source.From(Enumerable.Range(1, 7)).Grouped(3).RunWith(Sink.ToList<IReadOnlyList<int>>(), materializer).WaitAsync(Safety);
        Assert.Equal(new[] { "1,2,3", "4,5,6", "7" }, windows.Select(w => string.Join(",", w)));
    }

    [Fact]
    public async Task Sliding_StepSmallerThanSize_EmitsOverlappingWindows()
    {
        using var materializer = new Materializer();
        var windows = await Source.From(Enumerable.Range(1, 6)).Sliding(3, 2).RunWith(Sink.ToList<IReadOnlyList<int>>(), materializer).WaitAsync(Safety);
        Assert.Equal(new[] { "1,2,3", "3,4,5", "5,6" }, windows.Select(w => string.Join(",", w)));
    }

    [Fact]
    public async Task Sliding_StepLargerThanSize_SkipsBetweenWindows()
    {
        using var materializer = new Materializer();
        var windows = await Source.From(Enumerable.Range(1, 8)).Sliding(2, 3).RunWith(Sink.ToList<IReadOnlyList<int>>(), materializer).WaitAsync(Safety);
        Assert.Equal(new[] { "1,2", "4,5", "7,8" }, windows.Select(w => string.Join(",", w)));
    }
}
