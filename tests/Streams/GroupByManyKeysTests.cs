using Vigil.Streams;
using Vigil.TestKit;
using Vigil.TestKit.Streams;

namespace Vigil.Streams.Tests;

/// <summary>
/// GroupBy with thousands of live keys: every accepted element must reach the sink exactly once
/// and the graph must complete, whether keys fit under maxKeys or are evicted, and whether the
/// sink keeps up or pulls slowly (many substreams then contend for the merged output).
/// </summary>
public sealed class GroupByManyKeysTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(60);
    private const int PerKey = 5;

    // Round-robin over the keys, like the PPG bench: key k's i-th element is k * PerKey + i.
    private static IEnumerable<(int Key, int Value)> Readings(int keys) =>
        Enumerable.Range(0, PerKey).SelectMany(i => Enumerable.Range(0, keys).Select(k => (k, k * PerKey + i)));

    private static Flow<(int Key, int Value), int> PerKeyFlow(int key) =>
        Flow.Create<(int Key, int Value)>().Select(e => e.Value);

    private static void AssertEveryElementOnce(int keys, IReadOnlyCollection<int> received)
    {
        Assert.Equal(keys * PerKey, received.Count);
        Assert.Equal(Enumerable.Range(0, keys * PerKey), received.OrderBy(v => v));
    }

    [Theory]
    [InlineData(3000, 10_000)] // every key stays live
    [InlineData(3000, 3000)]   // exactly at the bound
    [InlineData(1000, 100)]    // keys evicted (least recently active completed) and restarted on every element
    public async Task GroupBy_ThousandsOfKeys_EveryElementDeliveredAndCompletes(int keys, int maxKeys)
    {
        using var materializer = new Materializer(new MaterializerOptions { TimeProvider = new ManualClock() });
        var received = await Source.From(Readings(keys)).GroupBy(e => e.Key, PerKeyFlow, maxKeys)
            .RunWith(Sink.ToList<int>(), materializer).WaitAsync(Safety);
        AssertEveryElementOnce(keys, received);
    }

    [Theory]
    [InlineData(3000, 10_000)]
    [InlineData(1000, 100)]
    public async Task GroupBy_ThousandsOfKeysSlowSink_EveryElementDeliveredAndCompletes(int keys, int maxKeys)
    {
        using var materializer = new Materializer(new MaterializerOptions { TimeProvider = new ManualClock() });
        // The sink side yields per element, so the merged output stays full and many substreams park on it.
        var received = await Source.From(Readings(keys)).GroupBy(e => e.Key, PerKeyFlow, maxKeys)
            .SelectAsync(1, async v => { await Task.Yield(); return v; })
            .RunWith(Sink.ToList<int>(), materializer).WaitAsync(Safety);
        AssertEveryElementOnce(keys, received);
    }

    [Theory]
    [InlineData(3000, 10_000)]
    [InlineData(1000, 100)]
    public async Task GroupBy_ThousandsOfKeysPulledInSteps_EveryElementDeliveredAndCompletes(int keys, int maxKeys)
    {
        using var materializer = new Materializer(new MaterializerOptions { TimeProvider = new ManualClock() });
        var probe = Source.From(Readings(keys)).GroupBy(e => e.Key, PerKeyFlow, maxKeys)
            .RunWith(TestSink.Probe<int>(), materializer);
        await Task.Run(() =>
        {
            // Demand in small steps: each step lets a few of the parked substreams in at a time.
            var received = new List<int>(keys * PerKey);
            for (var step = 0; step < keys * PerKey / 50; step++)
            {
                probe.Request(50);
                for (var i = 0; i < 50; i++) received.Add(probe.ExpectNextElement(Safety));
            }
            probe.Request(1).ExpectComplete(Safety);
            AssertEveryElementOnce(keys, received);
        }).WaitAsync(Safety * 2);
    }
}
