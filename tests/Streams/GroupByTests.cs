using Vigil.Streams;
using Vigil.TestKit;

namespace Vigil.Streams.Tests;

public sealed class GroupByTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);

    private static Flow<(string Patient, int Value), (string Patient, int Sum)> SumPerKey(string key) =>
        Flow.Create<(string Patient, int Value)>().GroupedWithin(int.MaxValue, TimeSpan.FromDays(1))
            .Select(g => (key, g.Sum(e => e.Value)));

    [Fact]
    public async Task GroupBy_Keys_RunOneSubstreamPerKey()
    {
        using var materializer = new Materializer(new MaterializerOptions { TimeProvider = new ManualClock() });
        var readings = Enumerable.Range(0, 30).Select(i => (Patient: $"p{i % 3}", Value: i)).ToArray();
        var sums = await Source.From(readings).GroupBy(r => r.Patient, SumPerKey, maxKeys: 10)
            .RunWith(Sink.ToList<(string Patient, int Sum)>(), materializer).WaitAsync(Safety);
        Assert.Equal(
            readings.GroupBy(r => r.Patient).Select(g => (g.Key, g.Sum(r => r.Value))).OrderBy(x => x.Key),
            sums.OrderBy(x => x.Patient));
    }

    [Fact]
    public async Task GroupBy_MoreKeysThanBound_CompletesLeastRecentSubstreamWithoutLosingData()
    {
        using var materializer = new Materializer(new MaterializerOptions { TimeProvider = new ManualClock() });
        var readings = new[] { ("a", 1), ("b", 2), ("c", 3), ("a", 4) };
        var sums = await Source.From(readings).GroupBy(r => r.Item1, SumPerKey, maxKeys: 2)
            .RunWith(Sink.ToList<(string Patient, int Sum)>(), materializer).WaitAsync(Safety);
        // "a" was evicted when "c" arrived (flushing 1), then restarted for 4.
        Assert.Equal(new[] { ("a", 1), ("a", 4), ("b", 2), ("c", 3) }, sums.OrderBy(s => s.Patient).ThenBy(s => s.Sum));
    }

    [Fact]
    public async Task GroupBy_IdleKeyOnManualClock_SubstreamCompletesAndFlushes()
    {
        var clock = new ManualClock();
        using var materializer = new Materializer(new MaterializerOptions { TimeProvider = clock });
        var queue = Source.Queue<(string Patient, int Value)>(16);
        var received = new List<(string Patient, int Sum)>();
        var handle = queue.Source.GroupBy(r => r.Patient, SumPerKey, maxKeys: 10, idleTimeout: TimeSpan.FromMinutes(5))
            .To(Sink.ForEach<(string Patient, int Sum)>(s => { lock (received) received.Add(s); }))
            .Run(materializer);
        await queue.OfferAsync(("p1", 5));
        await queue.OfferAsync(("p1", 6));
        await handle.WhenIdleAsync().WaitAsync(Safety);
        Assert.Empty(received);
        clock.Advance(TimeSpan.FromMinutes(10));
        await handle.WhenIdleAsync().WaitAsync(Safety);
        lock (received) Assert.Equal(new[] { ("p1", 11) }, received);
        queue.Complete();
        await handle.Completion.WaitAsync(Safety);
    }
}
