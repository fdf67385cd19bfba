using System.Threading.Channels;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.Supervision;
using Akka.Streams.TestKit;

namespace Vigil.Streams.Tests;

/// <summary>
/// The Akka.Streams behaviours Vigil's graphs are built on (they replaced Vigil's own operators, whose
/// tests covered the same): time-based grouping on virtual time, ordered async stages, Resume
/// supervision, channel ingest backpressure, and kill-switch drains.
/// </summary>
public sealed class AkkaOperatorsWeRelyOnTests() : Akka.TestKit.Xunit2.TestKit(VirtualTime.Config)
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);

    [Fact]
    public void GroupedWithin_OnTestScheduler_ClosesAPartialGroupWhenTimePasses()
    {
        var entered = CreateTestProbe();
        var downstream = Source.From(new[] { 1, 2 }).Concat(Source.Never<int>())
            .Select(x => { entered.Ref.Tell(x, Akka.Actor.ActorRefs.NoSender); return x; }) // fused with GroupedWithin: told as it enters
            .GroupedWithin(10, TimeSpan.FromSeconds(1))
            .RunWith(this.SinkProbe<IEnumerable<int>>(), Sys.Materializer());
        downstream.Request(5);
        entered.ExpectMsg(1);
        entered.ExpectMsg(2);
        // Two of ten: only time closes this group.
        VirtualTime.Scheduler(Sys).Advance(TimeSpan.FromSeconds(1));
        Assert.Equal([1, 2], downstream.ExpectNext());
        downstream.Cancel();
    }

    [Fact]
    public async Task SelectAsync_CompletionsOutOfOrder_EmittedInUpstreamOrder()
    {
        var gates = Enumerable.Range(0, 4).Select(_ => new TaskCompletionSource<int>()).ToArray();
        var run = Source.From(Enumerable.Range(0, 4)).SelectAsync(4, i => gates[i].Task).RunWith(Sink.Seq<int>(), Sys.Materializer());
        foreach (var i in new[] { 3, 1, 2, 0 }) gates[i].SetResult(i * 10);
        Assert.Equal([0, 10, 20, 30], await run.WaitAsync(Safety));
    }

    [Fact]
    public async Task ResumeSupervisionAttribute_SkipsTheFailingElementOnly()
    {
        var result = await Source.From(new[] { 1, 0, 2 }).Select(x => 10 / x)
            .WithAttributes(ActorAttributes.CreateSupervisionStrategy(Deciders.ResumingDecider))
            .RunWith(Sink.Seq<int>(), Sys.Materializer()).WaitAsync(Safety);
        Assert.Equal([10, 5], result);
    }

    [Fact]
    public void ChannelSource_NoDemandDownstream_BoundedChannelFillsAndRefuses()
    {
        var channel = Channel.CreateBounded<int>(4);
        var downstream = ChannelSource.FromReader(channel.Reader).RunWith(this.SinkProbe<int>(), Sys.Materializer());
        downstream.EnsureSubscription();
        // The stage may hold one element it read ahead; the channel then fills and refuses.
        var accepted = 0;
        while (accepted < 100 && channel.Writer.TryWrite(accepted)) accepted++;
        Assert.InRange(accepted, 4, 5 + 16);
        downstream.Request(1);
        Assert.Equal(0, downstream.ExpectNext());
        channel.Writer.TryComplete();
        downstream.Request(100);
        downstream.ExpectNextN(accepted - 1);
        downstream.ExpectComplete();
    }

    [Fact]
    public async Task KillSwitch_Shutdown_CompletesDownstreamKeepingWhatWasEmitted()
    {
        var (killSwitch, result) = Source.From(Enumerable.Range(0, 3)).Concat(Source.Never<int>())
            .ViaMaterialized(KillSwitches.Single<int>(), Keep.Right)
            .ToMaterialized(Sink.Seq<int>(), Keep.Both).Run(Sys.Materializer());
        killSwitch.Shutdown();
        var seen = await result.WaitAsync(Safety);
        Assert.All(seen, x => Assert.InRange(x, 0, 2));
    }
}
