using Vigil.Actors;
using Vigil.TestKit;
using Vigil.TestKit.Actors;

namespace Vigil.TestKit.Tests.Actors;

public sealed class TestProbeTests
{
    private static (ManualClock, ActorSystem, TestProbe) Create()
    {
        var clock = new ManualClock();
        var system = new ActorSystem("kit", time: clock);
        return (clock, system, new TestProbe(system));
    }

    [Fact]
    public async Task ExpectMsgAsync_WrongTypeOrPredicate_ThrowsDescribingWhatCame()
    {
        var (_, system, probe) = Create();
        await using var _ = system;
        probe.Tell("hello");
        var ex = await Assert.ThrowsAsync<ProbeExpectationException>(() => probe.ExpectMsgAsync<int>());
        Assert.Contains("expected a Int32, got \"hello\"", ex.Message);
        probe.Tell(3);
        ex = await Assert.ThrowsAsync<ProbeExpectationException>(() => probe.ExpectMsgAsync<int>(n => n > 5));
        Assert.Contains("does not match", ex.Message);
    }

    [Fact]
    public async Task ExpectMsgAsync_NothingArrives_FailsAfterSafetyTimeout()
    {
        var (_, system, probe) = Create();
        await using var _ = system;
        probe.SafetyTimeout = TimeSpan.FromMilliseconds(1); // the hang guard, shortened to test that it fires
        var ex = await Assert.ThrowsAsync<ProbeExpectationException>(() => probe.ExpectMsgAsync<string>());
        Assert.Contains("none arrived", ex.Message);
    }

    [Fact]
    public async Task ExpectNoMsgAsync_TimerFiresWithinDuration_Fails()
    {
        var (_, system, probe) = Create();
        await using var _ = system;
        var actor = system.Spawn<string>("delayed", () => Actor.FromHandler<string>((m, c) =>
        {
            if (m == "arm") c.ScheduleOnce(TimeSpan.FromSeconds(5), "fire");
            else probe.Tell(m);
            return ValueTask.CompletedTask;
        }));
        actor.Tell("arm");
        await probe.ExpectNoMsgAsync(TimeSpan.FromSeconds(4)); // passes: not yet due
        var ex = await Assert.ThrowsAsync<ProbeExpectationException>(() => probe.ExpectNoMsgAsync(TimeSpan.FromSeconds(1)));
        Assert.Contains("\"fire\"", ex.Message);
        await probe.ExpectMsgAsync("fire"); // left in the queue
    }

    [Fact]
    public async Task FishForMessageAsync_SkipsNonMatching_ReturnsFirstMatch()
    {
        var (_, system, probe) = Create();
        await using var _ = system;
        foreach (var m in new object[] { "a", 1, "b", 42, 7 }) probe.Tell(m);
        Assert.Equal(42, await probe.FishForMessageAsync<int>(n => n > 10));
        Assert.Equal(7, await probe.ExpectMsgAsync<int>());
    }

    [Fact]
    public async Task WithinAsync_BlockTakesLongerOnClock_Throws()
    {
        var (clock, system, probe) = Create();
        await using var _ = system;
        await probe.WithinAsync(TimeSpan.FromSeconds(1), () => { clock.Advance(TimeSpan.FromSeconds(1)); return Task.CompletedTask; });
        var ex = await Assert.ThrowsAsync<ProbeExpectationException>(() =>
            probe.WithinAsync(TimeSpan.FromSeconds(1), () => { clock.Advance(TimeSpan.FromSeconds(2)); return Task.CompletedTask; }));
        Assert.Contains("00:00:02", ex.Message);
        await Assert.ThrowsAsync<ProbeExpectationException>(() =>
            probe.WithinAsync(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), () => Task.CompletedTask));
    }

    [Fact]
    public async Task Ref_ValueTypeReplies_ArriveAtProbe()
    {
        var (_, system, probe) = Create();
        await using var _ = system;
        var doubler = system.Spawn<(int, IActorRef<int>)>("doubler", () => Actor.FromHandler<(int N, IActorRef<int> ReplyTo)>((m, _) =>
        {
            m.ReplyTo.Tell(m.N * 2);
            return ValueTask.CompletedTask;
        }));
        doubler.Tell((21, probe.Ref<int>()));
        Assert.Equal(42, await probe.ExpectMsgAsync<int>());
    }

    [Fact]
    public async Task Watch_ActorStops_ExpectTerminatedSucceeds()
    {
        var (_, system, probe) = Create();
        await using var _ = system;
        var actor = system.Spawn<int>("short-lived", () => Actor.FromHandler<int>((_, c) => { c.StopSelf(); return ValueTask.CompletedTask; }));
        probe.Watch(actor);
        actor.Tell(1);
        var terminated = await probe.ExpectTerminatedAsync(actor);
        Assert.Equal(actor.Path, terminated.Actor.Path);
        Assert.Throws<ArgumentException>(() => probe.Watch(new TestProbe(system)));
    }
}
