using Vigil.Streams;
using Vigil.TestKit;

namespace Vigil.Streams.Tests;

public sealed class GroupedWithinTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task GroupedWithin_CountReached_EmitsFullGroupsAndPartialAtEnd()
    {
        using var materializer = new Materializer(new MaterializerOptions { TimeProvider = new ManualClock() });
        var groups = await Source.From(Enumerable.Range(1, 7)).GroupedWithin(3, TimeSpan.FromSeconds(1))
            .RunWith(Sink.ToList<IReadOnlyList<int>>(), materializer).WaitAsync(Safety);
        Assert.Equal(new[] { new[] { 1, 2, 3 }, new[] { 4, 5, 6 }, new[] { 7 } }, groups.Select(g => g.ToArray()));
    }

    [Fact]
    public async Task GroupedWithin_TimeElapsedOnManualClock_EmitsPartialGroup()
    {
        var clock = new ManualClock();
        using var materializer = new Materializer(new MaterializerOptions { TimeProvider = clock });
        var queue = Source.Queue<int>(16);
        var received = new List<IReadOnlyList<int>>();
        var got = new SemaphoreSlim(0);
        var handle = queue.Source.GroupedWithin(100, TimeSpan.FromSeconds(5))
            .To(Sink.ForEach<IReadOnlyList<int>>(g => { lock (received) received.Add(g); got.Release(); }))
            .Run(materializer);
        await queue.OfferAsync(1);
        await queue.OfferAsync(2);
        await handle.WhenIdleAsync().WaitAsync(Safety);
        clock.Advance(TimeSpan.FromSeconds(4));
        await handle.WhenIdleAsync().WaitAsync(Safety);
        Assert.Empty(received);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await got.WaitAsync(Safety));
        Assert.Equal(new[] { 1, 2 }, received.Single());
        queue.Complete();
        await handle.Completion.WaitAsync(Safety);
        Assert.Single(received);
    }
}
