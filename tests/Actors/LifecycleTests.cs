using Vigil.Actors;
using Vigil.TestKit.Actors;

namespace Vigil.Actors.Tests;

public sealed class LifecycleTests
{
    [Fact]
    public async Task Watch_WatchedActorStops_WatcherGetsTerminated()
    {
        var (_, system, probe) = ActorTestHelpers.Create();
        await using var _ = system;
        var target = system.Spawn<CounterMsg>("target", () => new Counter(probe));
        await probe.ExpectMsgAsync("started");
        var watcher = system.Spawn<IActorRef>("watcher", () => new Watcher(probe));
        watcher.Tell(target);
        await probe.ExpectMsgAsync("watching");

        await system.StopAsync(target).WaitAsync(ActorTestHelpers.Safety);

        await probe.ExpectMsgAsync("stopped");
        var terminated = await probe.ExpectMsgAsync<Terminated>();
        Assert.Same(target, terminated.Actor);
    }

    [Fact]
    public async Task Watch_AlreadyStoppedActor_NotifiedAtOnce()
    {
        var (_, system, probe) = ActorTestHelpers.Create();
        await using var _ = system;
        var target = system.Spawn<CounterMsg>("target", () => new Counter(probe));
        await system.StopAsync(target).WaitAsync(ActorTestHelpers.Safety);
        await probe.ExpectMsgAsync("started");
        await probe.ExpectMsgAsync("stopped");

        probe.Watch(target);
        await probe.ExpectTerminatedAsync(target);
    }

    [Fact]
    public async Task Unwatch_BeforeStop_NoNotification()
    {
        var (_, system, probe) = ActorTestHelpers.Create();
        await using var _ = system;
        var target = system.Spawn<CounterMsg>("target", () => new Counter(probe));
        await probe.ExpectMsgAsync("started");
        probe.Watch(target);
        probe.Unwatch(target);
        await system.StopAsync(target).WaitAsync(ActorTestHelpers.Safety);
        await probe.ExpectMsgAsync("stopped");
        await probe.ExpectNoMsgAsync(TimeSpan.Zero);
    }

    [Fact]
    public async Task Shutdown_QueuedMessages_ProcessedBeforeStopThenRejected()
    {
        var (_, system, probe) = ActorTestHelpers.Create();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var worker = system.Spawn<int>("worker", () => Actor.FromHandler<int>(async (m, _) =>
        {
            await gate.Task;
            probe.Tell(m);
        }));
        for (var i = 1; i <= 5; i++) Assert.True(worker.Tell(i));

        var shutdown = system.ShutdownAsync();
        Assert.False(shutdown.IsCompleted);
        gate.SetResult();
        await shutdown.WaitAsync(ActorTestHelpers.Safety);

        for (var i = 1; i <= 5; i++) Assert.Equal(i, await probe.ExpectMsgAsync<int>());
        Assert.False(worker.Tell(6));
        var dead = await system.NextDeadLetterAsync();
        Assert.Equal((6, DeadLetterReason.ActorStopped), ((int)dead.Message!, dead.Reason));
        Assert.Throws<InvalidOperationException>(() => system.Spawn<int>("late", () => Actor.FromHandler<int>((_, _) => ValueTask.CompletedTask)));
    }

    [Fact]
    public async Task Shutdown_Hierarchy_ChildrenDrainAndStopBeforeParentsInReverseCreationOrder()
    {
        var (_, system, probe) = ActorTestHelpers.Create();
        var first = system.Spawn<CounterMsg>("first", () => new Counter(probe, "first"));
        await probe.ExpectMsgAsync("first-started");
        var parent = system.Spawn<string>("parent", () => new ParentOfTwo(probe));
        await probe.ExpectMsgAsync("parent-started");
        var children = new[] { await probe.ExpectMsgAsync<IActorRef<CounterMsg>>(), await probe.ExpectMsgAsync<IActorRef<CounterMsg>>() };
        await probe.FishForMessageAsync<string>(s => s == "c1-started" || s == "c2-started");
        await probe.FishForMessageAsync<string>(s => s == "c1-started" || s == "c2-started");
        foreach (var c in children) { c.Tell(new Inc()); c.Tell(new Report()); }

        await system.ShutdownAsync().WaitAsync(ActorTestHelpers.Safety);

        var rest = new List<object>();
        while (probe.QueuedCount > 0) rest.Add(await probe.ReceiveAsync());
        // Each child handled its queued messages (reports of 1) before stopping.
        Assert.Equal(2, rest.OfType<int>().Count(n => n == 1));
        var stops = rest.OfType<string>().ToList();
        Assert.Equal(4, stops.Count);
        Assert.Equal("parent-stopped", stops[2]); // after both children
        Assert.Equal("first-stopped", stops[3]);  // created first, stopped last
        Assert.Equal(new[] { "c1-stopped", "c2-stopped" }, stops.Take(2).Order());
    }

    [Fact]
    public async Task StopSelf_AfterCurrentMessage_DrainsTheRest()
    {
        var (_, system, probe) = ActorTestHelpers.Create();
        await using var _ = system;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = system.Spawn<string>("self-stopper", () => Actor.FromHandler<string>(async (m, c) =>
        {
            await gate.Task;
            probe.Tell(m);
            if (m == "stop") c.StopSelf();
        }));
        probe.Watch(actor);
        actor.Tell("stop");
        actor.Tell("after");
        gate.SetResult();
        await probe.ExpectMsgAsync("stop");
        await probe.ExpectMsgAsync("after");
        await probe.ExpectTerminatedAsync(actor);
    }

    private sealed class Watcher(IActorRef<object> probe) : Actor<IActorRef>
    {
        protected override ValueTask ReceiveAsync(IActorRef message)
        {
            Context.Watch(message);
            probe.Tell("watching");
            return ValueTask.CompletedTask;
        }

        protected override ValueTask OnTerminatedAsync(Terminated terminated)
        {
            probe.Tell(terminated);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class ParentOfTwo(IActorRef<object> probe) : Actor<string>
    {
        protected override ValueTask PreStartAsync()
        {
            probe.Tell("parent-started");
            probe.Tell(Context.Spawn<CounterMsg>("c1", () => new Counter(probe, "c1")));
            probe.Tell(Context.Spawn<CounterMsg>("c2", () => new Counter(probe, "c2")));
            return ValueTask.CompletedTask;
        }

        protected override ValueTask PostStopAsync()
        {
            probe.Tell("parent-stopped");
            return ValueTask.CompletedTask;
        }

        protected override ValueTask ReceiveAsync(string message) => ValueTask.CompletedTask;
    }
}
