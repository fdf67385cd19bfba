using Akka.Actor;
using System.Collections.Concurrent;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.Supervision;
using Akka.Streams.TestKit;
using Vigil.Streams.Dsl;
using Vigil.Streams.Keyed;

namespace Vigil.Streams.Tests;

public sealed class PerKeyStageTests() : Akka.TestKit.Xunit2.TestKit(VirtualTime.Config)
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);

    // A key's running count: the state is a one-element array so the step can update it.
    private static (string Key, int Count) Count(int[] state, (string Key, int Seq) e) => (e.Key, ++state[0]);

    [Fact]
    public async Task InterleavedKeys_EachKeyKeepsItsOwnState()
    {
        var input = new[] { "a", "b", "a", "c", "a", "b" }.Select((k, i) => (Key: k, Seq: i));
        var created = new List<string>();
        var result = await Source.From(input)
            .SelectPerKey(e => e.Key, k => { created.Add(k); return new int[1]; }, Count)
            .RunWith(Sink.Seq<(string, int)>(), Sys.Materializer()).WaitAsync(Safety);
        Assert.Equal([("a", 1), ("b", 1), ("a", 2), ("c", 1), ("a", 3), ("b", 2)], result);
        Assert.Equal(["a", "b", "c"], created);
    }

    [Fact]
    public async Task MaterializedTwice_StatesAreNotShared()
    {
        var source = Source.From(new[] { ("k", 0), ("k", 1) }).SelectPerKey(e => e.Item1, _ => new int[1], Count);
        var first = await source.RunWith(Sink.Seq<(string, int)>(), Sys.Materializer()).WaitAsync(Safety);
        var second = await source.RunWith(Sink.Seq<(string, int)>(), Sys.Materializer()).WaitAsync(Safety);
        Assert.Equal(first, second);
        Assert.Equal(2, second[^1].Item2);
    }

    [Fact]
    public async Task FourLanesThousandKeys_EveryKeyInOrderExactlyOnce()
    {
        const int keys = 1000, perKey = 20;
        var input = Enumerable.Range(0, perKey).SelectMany(seq => Enumerable.Range(0, keys).Select(k => (Key: $"patient-{k}", Seq: seq)));
        var creations = 0;
        var result = await Source.From(input)
            .Via(VigilStreamOperators.PerKeyLanes<(string Key, int Seq), string, List<int>, (string Key, int Seq, int Seen)>(4, e => e.Key,
                _ => { Interlocked.Increment(ref creations); return new List<int>(); },
                (seen, e) => { seen.Add(e.Seq); return (e.Key, e.Seq, seen.Count); }))
            .RunWith(Sink.Seq<(string Key, int Seq, int Seen)>(), Sys.Materializer()).WaitAsync(Safety);
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
    public async Task StepThrowsUnderResume_ElementDroppedAndKeyKeepsState()
    {
        var result = await Source.From(new[] { ("a", 1), ("a", -1), ("a", 2) })
            .SelectPerKey(e => e.Item1, _ => new int[1], (s, e) => e.Item2 < 0 ? throw new ArgumentException("negative reading") : s[0] += e.Item2)
            .WithAttributes(ActorAttributes.CreateSupervisionStrategy(Deciders.ResumingDecider))
            .RunWith(Sink.Seq<int>(), Sys.Materializer()).WaitAsync(Safety);
        Assert.Equal([1, 3], result);
    }

    [Fact]
    public async Task StepThrowsUnderRestart_KeyStartsAFreshStateOthersUntouched()
    {
        var passivated = new ConcurrentQueue<(string, PassivationReason)>();
        var result = await Source.From(new[] { ("a", 1), ("b", 5), ("a", -1), ("a", 2), ("b", 1) })
            .SelectPerKey(e => e.Item1, _ => new int[1], (s, e) => e.Item2 < 0 ? throw new ArgumentException("negative reading") : s[0] += e.Item2,
                onPassivated: (k, _, r) => passivated.Enqueue((k, r)))
            .WithAttributes(ActorAttributes.CreateSupervisionStrategy(Deciders.RestartingDecider))
            .RunWith(Sink.Seq<int>(), Sys.Materializer()).WaitAsync(Safety);
        // "a" restarts from 0 after the failure; "b" is untouched.
        Assert.Equal([1, 5, 2, 6], result);
        Assert.Equal(("a", PassivationReason.Restarted), passivated.First());
    }

    [Fact]
    public async Task StepThrowsUnderDefaultStop_StreamFailsWithTheError()
    {
        var run = Source.From(new[] { ("a", 1), ("a", -1), ("a", 2) })
            .SelectPerKey(e => e.Item1, _ => new int[1], (s, e) => e.Item2 < 0 ? throw new ArgumentException("negative reading") : s[0] += e.Item2)
            .RunWith(Sink.Seq<int>(), Sys.Materializer());
        var error = await Assert.ThrowsAsync<ArgumentException>(() => run.WaitAsync(Safety));
        Assert.Equal("negative reading", error.Message);
    }

    [Fact]
    public async Task MaxKeys_LeastRecentlyActiveKeyIsEvictedAndStartsAfresh()
    {
        var passivated = new ConcurrentQueue<(string, PassivationReason)>();
        var input = new[] { "a", "b", "a", "c", "b", "a" }.Select((k, i) => (Key: k, Seq: i));
        var result = await Source.From(input)
            .SelectPerKey(e => e.Key, _ => new int[1], Count, new PerKeySettings { MaxKeys = 2 }, onPassivated: (k, _, r) => passivated.Enqueue((k, r)))
            .RunWith(Sink.Seq<(string, int)>(), Sys.Materializer()).WaitAsync(Safety);
        // c evicts b (a was touched after b); b then evicts a; a then evicts c.
        Assert.Equal([("a", 1), ("b", 1), ("a", 2), ("c", 1), ("b", 1), ("a", 1)], result);
        Assert.Equal([("b", PassivationReason.Evicted), ("a", PassivationReason.Evicted), ("c", PassivationReason.Evicted),
            ("b", PassivationReason.StreamEnded), ("a", PassivationReason.StreamEnded)], passivated);
    }

    [Fact]
    public void IdleTimeout_OnVirtualTime_SilentKeyPassivatedActiveKeyKept()
    {
        var scheduler = VirtualTime.Scheduler(Sys);
        var passivations = CreateTestProbe();
        var idle = TimeSpan.FromMinutes(4);
        var (upstream, downstream) = this.SourceProbe<(string Key, int Seq)>()
            .SelectPerKey(e => e.Key, _ => new int[1], Count, new PerKeySettings { IdleTimeout = idle },
                onPassivated: (k, _, r) => passivations.Ref.Tell((k, r)))
            .ToMaterialized(this.SinkProbe<(string, int)>(), Keep.Both)
            .Run(Sys.Materializer());
        downstream.Request(10);
        upstream.SendNext(("a", 0)).SendNext(("b", 1));
        Assert.Equal(("a", 1), downstream.ExpectNext());
        Assert.Equal(("b", 1), downstream.ExpectNext());

        // Three quarters of the timeout: nobody is idle long enough yet; b speaks again.
        VirtualTime.Advance(scheduler, TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(1));
        upstream.SendNext(("b", 2));
        Assert.Equal(("b", 2), downstream.ExpectNext());
        // Past a's timeout (plus one check period) but not b's: only a goes.
        VirtualTime.Advance(scheduler, TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(1));
        passivations.ExpectMsg(("a", PassivationReason.Idle));
        upstream.SendNext(("b", 3)).SendNext(("a", 4));
        Assert.Equal(("b", 3), downstream.ExpectNext());
        Assert.Equal(("a", 1), downstream.ExpectNext()); // a's state was released: it starts afresh
        upstream.SendComplete();
        downstream.ExpectComplete();
        passivations.ExpectMsg(("b", PassivationReason.StreamEnded));
        passivations.ExpectMsg(("a", PassivationReason.StreamEnded));
    }

    [Fact]
    public void DownstreamCancels_UpstreamIsCancelled()
    {
        var (upstream, downstream) = this.SourceProbe<(string Key, int Seq)>()
            .SelectPerKey(e => e.Key, _ => new int[1], Count)
            .ToMaterialized(this.SinkProbe<(string, int)>(), Keep.Both)
            .Run(Sys.Materializer());
        downstream.Request(1);
        upstream.SendNext(("a", 0));
        Assert.Equal(("a", 1), downstream.ExpectNext());
        downstream.Cancel();
        upstream.ExpectCancellation();
    }
}
