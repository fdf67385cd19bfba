using Vigil.Actors;
using Vigil.TestKit.Actors;

namespace Vigil.Actors.Tests;

public sealed class SupervisionTests
{
    [Fact]
    public async Task Restart_HandlerThrows_StateResetByRecreatingFromFactory()
    {
        var (_, system, probe) = ActorTestHelpers.Create();
        await using var _ = system;
        var created = 0;
        var counter = system.Spawn<CounterMsg>("counter", () => { Interlocked.Increment(ref created); return new Counter(probe); },
            new ActorOptions { Supervision = SupervisionStrategy.RestartImmediately() });
        await probe.ExpectMsgAsync("started");

        counter.Tell(new Inc());
        counter.Tell(new Inc());
        counter.Tell(new Report());
        await probe.ExpectMsgAsync(2);

        counter.Tell(new Boom());
        counter.Tell(new Inc());
        counter.Tell(new Report());
        await probe.ExpectMsgAsync("stopped"); // old incarnation's PostStop
        await probe.ExpectMsgAsync("started"); // new incarnation
        await probe.ExpectMsgAsync(1);         // state was reset: only the Inc after the failure counts
        Assert.Equal(2, Volatile.Read(ref created));

        var dead = await system.NextDeadLetterAsync();
        Assert.IsType<Boom>(dead.Message);
        Assert.Equal(DeadLetterReason.HandlerFailed, dead.Reason);
        Assert.IsType<InvalidOperationException>(dead.Error);
        Assert.Equal(counter.Path, dead.Recipient);
    }

    [Fact]
    public async Task Restart_RepeatedFailures_BackoffDoublesOnManualClockUpToMax()
    {
        var (clock, system, probe) = ActorTestHelpers.Create();
        await using var _ = system;
        var counter = system.Spawn<CounterMsg>("counter", () => new Counter(probe),
            new ActorOptions { Supervision = SupervisionStrategy.Restart(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(400)) });
        await probe.ExpectMsgAsync("started");

        foreach (var expectedDelayMs in new[] { 100, 200, 400, 400 })
        {
            counter.Tell(new Boom());
            await probe.ExpectMsgAsync("stopped");
            await system.NextDeadLetterAsync(); // the restart timer is armed before the dead letter is published
            var delay = TimeSpan.FromMilliseconds(expectedDelayMs);
            await probe.ExpectNoMsgAsync(delay - TimeSpan.FromMilliseconds(1)); // not restarted 1 ms early
            await probe.WithinAsync(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(1), async () =>
            {
                clock.Advance(TimeSpan.FromMilliseconds(1));
                await probe.ExpectMsgAsync("started");
            });
        }
    }

    [Fact]
    public async Task Restart_MessagesArrivingDuringBackoff_ProcessedByNewIncarnation()
    {
        var (clock, system, probe) = ActorTestHelpers.Create();
        await using var _ = system;
        var counter = system.Spawn<CounterMsg>("counter", () => new Counter(probe),
            new ActorOptions { Supervision = SupervisionStrategy.Restart(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)) });
        await probe.ExpectMsgAsync("started");
        counter.Tell(new Boom());
        await system.NextDeadLetterAsync();
        counter.Tell(new Inc());
        counter.Tell(new Report());
        await probe.ExpectMsgAsync("stopped");
        await probe.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(999));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await probe.ExpectMsgAsync("started");
        await probe.ExpectMsgAsync(1);
    }

    [Fact]
    public async Task Restart_MaxRestartsExceeded_ActorStops()
    {
        var (_, system, probe) = ActorTestHelpers.Create();
        await using var _ = system;
        var counter = system.Spawn<CounterMsg>("counter", () => new Counter(probe),
            new ActorOptions { Supervision = SupervisionStrategy.RestartImmediately(maxRestarts: 2) });
        probe.Watch(counter);
        await probe.ExpectMsgAsync("started");
        for (var i = 0; i < 2; i++)
        {
            counter.Tell(new Boom());
            await probe.ExpectMsgAsync("stopped");
            await probe.ExpectMsgAsync("started");
        }
        counter.Tell(new Boom());
        await probe.ExpectMsgAsync("stopped");
        await probe.ExpectTerminatedAsync(counter);
        Assert.False(counter.Tell(new Inc()));
    }

    [Fact]
    public async Task Resume_HandlerThrows_KeepsStateAndDeadLettersTheMessage()
    {
        var (_, system, probe) = ActorTestHelpers.Create();
        await using var _ = system;
        var counter = system.Spawn<CounterMsg>("counter", () => new Counter(probe), new ActorOptions { Supervision = SupervisionStrategy.Resume });
        await probe.ExpectMsgAsync("started");
        counter.Tell(new Inc());
        counter.Tell(new Boom("bad reading"));
        counter.Tell(new Inc());
        counter.Tell(new Report());
        await probe.ExpectMsgAsync(2);
        var dead = await system.NextDeadLetterAsync();
        Assert.Equal(new Boom("bad reading"), dead.Message);
        Assert.Equal(DeadLetterReason.HandlerFailed, dead.Reason);
    }

    [Fact]
    public async Task Stop_HandlerThrows_StopsAndDeadLettersFailedAndQueuedMessages()
    {
        var (_, system, probe) = ActorTestHelpers.Create();
        await using var _ = system;
        var counter = system.Spawn<CounterMsg>("counter", () => new Counter(probe), new ActorOptions { Supervision = SupervisionStrategy.Stop });
        probe.Watch(counter);
        await probe.ExpectMsgAsync("started");
        counter.Tell(new Boom());
        counter.Tell(new Inc());
        counter.Tell(new Report());
        await probe.ExpectMsgAsync("stopped");
        await probe.ExpectTerminatedAsync(counter);

        var dead = new List<ActorDeadLetter>();
        for (var i = 0; i < 3; i++) dead.Add(await system.NextDeadLetterAsync());
        Assert.Equal(DeadLetterReason.HandlerFailed, dead[0].Reason);
        Assert.IsType<Boom>(dead[0].Message);
        // The rest were either queued (discarded on stop) or arrived after the mailbox closed.
        Assert.All(dead.Skip(1), d => Assert.Contains(d.Reason, new[] { DeadLetterReason.DiscardedOnStop, DeadLetterReason.ActorStopped }));
        Assert.Equal(new[] { typeof(Inc), typeof(Report) }, dead.Skip(1).Select(d => d.Message!.GetType()));
    }

    [Fact]
    public async Task Escalate_ChildThrows_ParentDecidesAndRestartsWithChildren()
    {
        var (_, system, probe) = ActorTestHelpers.Create();
        await using var _ = system;
        var parentStrategy = SupervisionStrategy.RestartImmediately().WithDecider(ex =>
        {
            probe.Tell(ex);
            return SupervisionDecision.Restart;
        });
        var parent = system.Spawn<string>("parent", () => new Parent(probe), new ActorOptions { Supervision = parentStrategy });
        await probe.ExpectMsgAsync("parent-started");
        var child = await probe.ExpectMsgAsync<IActorRef<CounterMsg>>();
        await probe.ExpectMsgAsync("child-started");

        child.Tell(new Boom("sensor unplugged"));

        // The parent decides while the escalating child finishes stopping: either order is fine.
        var first = await probe.ReceiveAsync();
        var second = await probe.ReceiveAsync();
        Assert.Contains("child-stopped", new[] { first, second });
        var escalation = Assert.Single(new[] { first, second }.OfType<ActorEscalationException>());
        Assert.Equal(child.Path, escalation.Child);
        Assert.Equal("sensor unplugged", escalation.InnerException!.Message);
        Assert.Contains("/user/parent/child", escalation.Message);
        // The parent restarted (it and its child are re-created).
        await probe.ExpectMsgAsync("parent-started");
        var newChild = await probe.ExpectMsgAsync<IActorRef<CounterMsg>>();
        await probe.ExpectMsgAsync("child-started");
        Assert.NotSame(child, newChild);
        Assert.Equal(child.Path, newChild.Path);
    }

    [Fact]
    public async Task Escalate_TopLevelActor_StopsBecauseNoParentDecides()
    {
        var (_, system, probe) = ActorTestHelpers.Create();
        await using var _ = system;
        var counter = system.Spawn<CounterMsg>("counter", () => new Counter(probe), new ActorOptions { Supervision = SupervisionStrategy.Escalate });
        probe.Watch(counter);
        await probe.ExpectMsgAsync("started");
        counter.Tell(new Boom());
        await probe.ExpectMsgAsync("stopped");
        await probe.ExpectTerminatedAsync(counter);
    }

    [Fact]
    public async Task StopAsync_DuringRestartBackoff_StopsWithoutRestartAndDeadLettersQueued()
    {
        var (_, system, probe) = ActorTestHelpers.Create();
        await using var _ = system;
        var counter = system.Spawn<CounterMsg>("counter", () => new Counter(probe),
            new ActorOptions { Supervision = SupervisionStrategy.Restart(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1)) });
        await probe.ExpectMsgAsync("started");
        counter.Tell(new Boom());
        await probe.ExpectMsgAsync("stopped");
        Assert.Equal(DeadLetterReason.HandlerFailed, (await system.NextDeadLetterAsync()).Reason);
        counter.Tell(new Report()); // queued behind the backoff

        await system.StopAsync(counter).WaitAsync(ActorTestHelpers.Safety); // no clock advance needed

        var dead = await system.NextDeadLetterAsync();
        Assert.IsType<Report>(dead.Message);
        Assert.Equal(DeadLetterReason.DiscardedOnStop, dead.Reason);
        await probe.ExpectNoMsgAsync(TimeSpan.FromMinutes(2)); // never restarted
    }

    [Fact]
    public void BackoffFor_Series_DoublesAndCaps()
    {
        var s = SupervisionStrategy.Restart(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));
        Assert.Equal(new[] { 100, 200, 400, 800, 1000, 1000 }, Enumerable.Range(1, 6).Select(n => (int)s.BackoffFor(n).TotalMilliseconds));
        Assert.Equal(TimeSpan.FromSeconds(1), s.BackoffFor(10_000));
    }

    /// <summary>Spawns a child (Escalate strategy) in PreStart and sends its reference to the probe.</summary>
    private sealed class Parent(IActorRef<object> probe) : Actor<string>
    {
        protected override ValueTask PreStartAsync()
        {
            probe.Tell("parent-started");
            var child = Context.Spawn<CounterMsg>("child", () => new Counter(probe, "child"), new ActorOptions { Supervision = SupervisionStrategy.Escalate });
            probe.Tell(child);
            return ValueTask.CompletedTask;
        }

        protected override ValueTask ReceiveAsync(string message) => ValueTask.CompletedTask;
    }
}
