namespace Vigil.Streams.Tests;

public sealed class SelectPerKeyTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);

    // A key's running count: the state is a one-element array so the step can update it.
    private static (string Key, int Count) Count(int[] state, (string Key, int Seq) e) => (e.Key, ++state[0]);

    [Fact]
    public async Task SelectPerKey_InterleavedKeys_EachKeyKeepsItsOwnState()
    {
        using var materializer = new Materializer();
        var input = new[] { "a", "b", "a", "c", "a", "b" }.Select((k, i) => (Key: k, Seq: i));
        var created = new List<string>();
        var result = await Source.From(input)
            .SelectPerKey(e => e.Key, (k, _) => { created.Add(k); return new int[1]; }, Count)
            .RunWith(Sink.ToList<(string, int)>(), materializer).WaitAsync(Safety);
        Assert.Equal([("a", 1), ("b", 1), ("a", 2), ("c", 1), ("a", 3), ("b", 2)], result);
        Assert.Equal(["a", "b", "c"], created);
    }

    [Fact]
    public async Task SelectPerKey_MaterializedTwice_StatesAreNotShared()
    {
        using var materializer = new Materializer();
        var source = Source.From(new[] { ("k", 0), ("k", 1) }).SelectPerKey(e => e.Item1, (_, _) => new int[1], Count);
        var first = await source.RunWith(Sink.ToList<(string, int)>(), materializer).WaitAsync(Safety);
        var second = await source.RunWith(Sink.ToList<(string, int)>(), materializer).WaitAsync(Safety);
        Assert.Equal(first, second);
        Assert.Equal(2, second[^1].Item2);
    }

    [Fact]
    public async Task SelectPerKey_FourLanesThousandKeys_EveryKeyInOrderExactlyOnce()
    {
        using var materializer = new Materializer();
        const int keys = 1000, perKey = 20;
        var input = Enumerable.Range(0, perKey).SelectMany(seq => Enumerable.Range(0, keys).Select(k => (Key: $"patient-{k}", Seq: seq)));
        var creations = 0;
        var result = await Source.From(input)
            .SelectPerKey(e => e.Key, (_, _) => { Interlocked.Increment(ref creations); return new List<int>(); },
                (seen, e) => { seen.Add(e.Seq); return (e.Key, e.Seq, Seen: seen.Count); }, lanes: 4)
            .RunWith(Sink.ToList<(string Key, int Seq, int Seen)>(), materializer).WaitAsync(Safety);
        Assert.Equal(keys * perKey, result.Count);
        Assert.Equal(keys, creations);
        foreach (var group in result.GroupBy(r => r.Key))
        {
            // Handled in order by one lane: sequence numbers arrive 0, 1, 2... and the state saw each once.
            Assert.Equal(Enumerable.Range(0, perKey), group.Select(r => r.Seq));
            Assert.Equal(Enumerable.Range(1, perKey), group.Select(r => r.Seen));
        }
    }

    [Fact]
    public async Task SelectPerKey_StepThrowsUnderResume_DeadLettersAndKeyKeepsState()
    {
        using var materializer = new Materializer();
        var handle = Source.From(new[] { ("a", 1), ("a", -1), ("a", 2) })
            .SelectPerKey(e => e.Item1, (_, _) => new int[1], (s, e) => e.Item2 < 0 ? throw new ArgumentException("negative reading") : s[0] += e.Item2)
            .Named("sum").WithSupervision(Supervision.Resume)
            .To(Sink.ToList<int>()).Run(materializer);
        Assert.Equal([1, 3], await handle.Value.WaitAsync(Safety));
        var letter = Assert.Single(handle.DeadLetters);
        Assert.Equal("sum", letter.Stage);
        Assert.IsType<ArgumentException>(letter.Error);
    }

    [Fact]
    public async Task SelectPerKey_StepThrowsUnderRestart_KeyStartsAFreshState()
    {
        using var materializer = new Materializer();
        var handle = Source.From(new[] { ("a", 1), ("b", 5), ("a", -1), ("a", 2), ("b", 1) })
            .SelectPerKey(e => e.Item1, (_, _) => new int[1], (s, e) => e.Item2 < 0 ? throw new ArgumentException("negative reading") : s[0] += e.Item2)
            .WithSupervision(Supervision.Restart)
            .To(Sink.ToList<int>()).Run(materializer);
        // "a" restarts from 0 after the failure; "b" is untouched.
        Assert.Equal([1, 5, 2, 6], await handle.Value.WaitAsync(Safety));
    }
}
