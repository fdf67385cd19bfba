using Vigil.Streams;
using Vigil.TestKit;

namespace Vigil.Streams.Tests;

public sealed class GroupedWithinChainTests
{
    [Theory]
    [InlineData(48)]
    [InlineData(20_000)]
    public async Task GroupedWithin_AfterFilterAndAsyncStages_DeliversEveryKeptElement(int count)
    {
        using var materializer = new Materializer(new MaterializerOptions { TimeProvider = new ManualClock() });
        var groups = await Source.From(Enumerable.Range(0, count))
            .Select(i => i * 2)
            .Where(i => i % 3 != 0)
            .SelectAsync(2, i => Task.Run(() => i))
            .SelectAsync(4, async i => { await Task.Yield(); return i; })
            .GroupedWithin(8, TimeSpan.FromSeconds(1))
            .RunWith(Sink.ToList<IReadOnlyList<int>>(), materializer)
            .WaitAsync(TimeSpan.FromSeconds(60));
        var expected = Enumerable.Range(0, count).Select(i => i * 2).Where(i => i % 3 != 0).ToList();
        Assert.Equal(expected, groups.SelectMany(g => g).ToList());
        Assert.All(groups, g => Assert.InRange(g.Count, 1, 8));
    }

    [Fact]
    public async Task GroupedWithin_FilterDropsLongRuns_CompletesWithoutDeepRecursion()
    {
        using var materializer = new Materializer(new MaterializerOptions { TimeProvider = new ManualClock() });
        // Long runs of dropped elements between kept ones, from a synchronous source.
        var groups = await Source.From(Enumerable.Range(0, 2_000_000))
            .Where(i => i % 100_000 == 0)
            .GroupedWithin(8, TimeSpan.FromSeconds(1))
            .RunWith(Sink.ToList<IReadOnlyList<int>>(), materializer)
            .WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => i * 100_000), groups.SelectMany(g => g));
    }

    [Fact]
    public async Task GroupedWithin_EveryElementFilteredBeforeAsyncStages_CompletesEmpty()
    {
        using var materializer = new Materializer(new MaterializerOptions { TimeProvider = new ManualClock() });
        var groups = await Source.From(Enumerable.Range(0, 100_000))
            .Select(i => i + 1)
            .Where(_ => false)
            .SelectAsync(2, i => Task.Run(() => i))
            .GroupedWithin(8, TimeSpan.FromSeconds(1))
            .RunWith(Sink.ToList<IReadOnlyList<int>>(), materializer)
            .WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Empty(groups);
    }

    [Fact]
    public async Task GroupedWithin_SlowAsyncUpstream_GroupsCloseOnTheClock()
    {
        var clock = new ManualClock();
        using var materializer = new Materializer(new MaterializerOptions { TimeProvider = clock });
        var gate = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var handle = Source.From(new[] { 1, 2, 3 })
            .SelectAsync(1, i => i < 3 ? Task.FromResult(i) : gate.Task)
            .GroupedWithin(8, TimeSpan.FromSeconds(1))
            .To(Sink.ToList<IReadOnlyList<int>>())
            .Run(materializer);
        await handle.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));
        clock.Advance(TimeSpan.FromSeconds(1));
        await handle.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));
        gate.SetResult(3);
        var groups = await handle.Value.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(new[] { new[] { 1, 2 }, new[] { 3 } }, groups.Select(g => g.ToArray()));
    }
}
