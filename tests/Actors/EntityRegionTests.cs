using System.Collections.Concurrent;
using Vigil.Actors;
using Vigil.TestKit.Actors;

namespace Vigil.Actors.Tests;

public sealed class EntityRegionTests
{
    public abstract record TrackerMsg;
    public sealed record Sample(int Value) : TrackerMsg;
    public sealed record Report : TrackerMsg;
    public sealed record Hold(Task Gate, string Tag) : TrackerMsg;

    /// <summary>A per-patient tracker: sums samples, can be seeded with handed-over state, hands its sum out on passivation.</summary>
    private sealed class Tracker(string key, int incarnation, int seed, IActorRef<object> probe) : Actor<TrackerMsg>
    {
        private int _sum = seed;

        protected override async ValueTask ReceiveAsync(TrackerMsg message)
        {
            switch (message)
            {
                case Sample s: _sum += s.Value; break;
                case Report: probe.Tell($"{key}#{incarnation}={_sum}"); break;
                case Hold h:
                    probe.Tell($"{key}#{incarnation} holding {h.Tag}");
                    await h.Gate;
                    probe.Tell($"{key}#{incarnation} released {h.Tag}");
                    break;
            }
        }

        protected override ValueTask<object?> OnPassivateAsync(PassivationReason reason)
        {
            probe.Tell($"{key}#{incarnation} passivated {reason}");
            return ValueTask.FromResult<object?>(_sum);
        }
    }

    /// <summary>A region whose factory counts incarnations per key and seeds each from the hand-off store.</summary>
    private sealed class Fixture
    {
        public readonly ConcurrentDictionary<string, int> Incarnations = new();
        public readonly ConcurrentDictionary<string, int> Store = new();
        public readonly ConcurrentQueue<EntityPassivated<string>> Passivated = new();
        public EntityRegion<string, TrackerMsg> Region = null!;

        public Fixture(ActorSystem system, IActorRef<object> probe, TimeSpan? idle = null, int maxLive = 100, int capacity = 100)
        {
            Region = system.SpawnEntityRegion<string, TrackerMsg>("patients",
                key => new Tracker(key, Incarnations.AddOrUpdate(key, 1, (_, n) => n + 1), Store.TryRemove(key, out var s) ? s : 0, probe),
                new EntityRegionOptions<string>
                {
                    IdleTimeout = idle,
                    MaxLiveEntities = maxLive,
                    MailboxCapacity = capacity,
                    OnPassivated = p => { Passivated.Enqueue(p); Store[p.Key] = (int)p.State!; },
                });
        }
    }

    [Fact]
    public async Task Tell_FirstMessagePerKey_CreatesOneEntityEachWithItsOwnState()
    {
        var (_, system, probe) = ActorTestHelpers.Create();
        await using var _ = system;
        var f = new Fixture(system, probe);

        f.Region.Tell("p1", new Sample(5));
        f.Region.Tell("p2", new Sample(7));
        f.Region.Tell("p1", new Sample(1));
        f.Region.Tell("p1", new Report());
        await probe.ExpectMsgAsync("p1#1=6");
        f.Region.Tell("p2", new Report());
        await probe.ExpectMsgAsync("p2#1=7");

        Assert.Equal(2, f.Region.LiveCount);
        Assert.Equal(1, f.Incarnations["p1"]);
        Assert.Equal(1, f.Incarnations["p2"]);
        Assert.Equal("vigil://test/user/patients/p%201", f.Region.For("p 1").Path.ToString());
    }

    [Fact]
    public async Task IdleTimeout_NoMessages_PassivatesHandingOutStateAndNextMessageRecreates()
    {
        var (clock, system, probe) = ActorTestHelpers.Create();
        await using var _ = system;
        var f = new Fixture(system, probe, idle: TimeSpan.FromMinutes(1));
        f.Region.Tell("p1", new Sample(40));
        await probe.ExpectNoMsgAsync(TimeSpan.FromSeconds(30));
        f.Region.Tell("p1", new Sample(2));          // activity restarts the idle period
        await probe.ExpectNoMsgAsync(TimeSpan.FromSeconds(59));
        Assert.True(f.Region.IsLive("p1"));

        clock.Advance(TimeSpan.FromSeconds(1));
        await probe.ExpectMsgAsync("p1#1 passivated IdleTimeout");
        await probe.WhenSystemIdleAsync();
        Assert.False(f.Region.IsLive("p1"));
        Assert.Equal(0, f.Region.LiveCount);
        var passivated = Assert.Single(f.Passivated);
        Assert.Equal(new EntityPassivated<string>("p1", PassivationReason.IdleTimeout, 42), passivated);

        f.Region.Tell("p1", new Report());           // re-created, seeded with the handed-out state
        await probe.ExpectMsgAsync("p1#2=42");
    }

    [Fact]
    public async Task MaxLiveEntities_BoundHit_PassivatesLeastRecentlyUsed()
    {
        var (_, system, probe) = ActorTestHelpers.Create();
        await using var _ = system;
        var f = new Fixture(system, probe, maxLive: 2);
        f.Region.Tell("a", new Sample(1));
        f.Region.Tell("b", new Sample(2));
        f.Region.Tell("a", new Sample(3));           // b is now the least recently used
        f.Region.Tell("c", new Sample(4));

        await probe.ExpectMsgAsync("b#1 passivated LeastRecentlyUsed");
        await probe.WhenSystemIdleAsync();
        Assert.Equal(2, f.Region.LiveCount);
        Assert.True(f.Region.IsLive("a"));
        Assert.True(f.Region.IsLive("c"));
        Assert.False(f.Region.IsLive("b"));
        Assert.Equal(2, f.Store["b"]);
    }

    [Fact]
    public async Task PassivateAsync_MessagesArriveWhilePassivating_BufferedAndDeliveredToNewIncarnation()
    {
        var (_, system, probe) = ActorTestHelpers.Create();
        await using var _ = system;
        var f = new Fixture(system, probe);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        f.Region.Tell("p1", new Sample(10));
        f.Region.Tell("p1", new Hold(gate.Task, "h"));
        await probe.ExpectMsgAsync("p1#1 holding h");

        var handoff = f.Region.PassivateAsync("p1");  // old incarnation is busy: it drains, then hands off
        Assert.False(f.Region.IsLive("p1"));
        for (var i = 1; i <= 3; i++) Assert.True(f.Region.Tell("p1", new Sample(i))); // buffered, not lost
        f.Region.Tell("p1", new Report());
        gate.SetResult();

        await probe.ExpectMsgAsync("p1#1 released h");
        await probe.ExpectMsgAsync("p1#1 passivated Requested");
        Assert.Equal(10, await handoff.WaitAsync(ActorTestHelpers.Safety));
        await probe.ExpectMsgAsync("p1#2=16");       // seeded with 10, then the buffered 1+2+3
        Assert.Equal(0, system.DeadLetterCount);
    }

    [Fact]
    public async Task TellAsync_ManyMessagesAcrossPassivations_NoneLost()
    {
        var (clock, system, probe) = ActorTestHelpers.Create();
        await using var _ = system;
        var f = new Fixture(system, probe, idle: TimeSpan.FromSeconds(1), maxLive: 3, capacity: 4);
        var keys = new[] { "a", "b", "c", "d", "e" };
        var expected = new Dictionary<string, int>();
        for (var i = 0; i < 400; i++)
        {
            var key = keys[i * 7 % keys.Length];
            Assert.True(await f.Region.TellAsync(key, new Sample(i)).AsTask().WaitAsync(ActorTestHelpers.Safety));
            expected[key] = expected.GetValueOrDefault(key) + i;
            if (i % 50 == 0) clock.Advance(TimeSpan.FromSeconds(2)); // idle passivations on the way
        }
        await probe.WhenSystemIdleAsync();
        foreach (var key in keys)
        {
            f.Region.Tell(key, new Report());
            var report = await probe.FishForMessageAsync<string>(s => s.StartsWith(key + "#") && s.Contains('='));
            Assert.Equal(expected[key], int.Parse(report[(report.IndexOf('=') + 1)..]));
        }
        Assert.True(f.Passivated.Count > 0);
        Assert.Equal(0, system.DeadLetterCount);
    }

    [Fact]
    public async Task TellAsync_EntityMailboxFull_WaitsWithoutBlockingOtherKeys()
    {
        var (_, system, probe) = ActorTestHelpers.Create();
        await using var _ = system;
        var f = new Fixture(system, probe, capacity: 1);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        f.Region.Tell("slow", new Hold(gate.Task, "h"));
        await probe.ExpectMsgAsync("slow#1 holding h");

        var waiting = f.Region.TellAsync("slow", new Sample(5)).AsTask();
        Assert.False(waiting.IsCompleted);                       // backpressure on the busy entity
        Assert.False(f.Region.Tell("slow", new Sample(6)));      // a non-waiting Tell is rejected instead
        Assert.Equal(DeadLetterReason.MailboxFull, (await system.NextDeadLetterAsync()).Reason);
        Assert.True(await f.Region.TellAsync("fast", new Report())); // other keys are unaffected
        await probe.ExpectMsgAsync("fast#1=0");

        gate.SetResult();
        Assert.True(await waiting.WaitAsync(ActorTestHelpers.Safety));
        await probe.ExpectMsgAsync("slow#1 released h");
        Assert.True(await f.Region.TellAsync("slow", new Report()));
        await probe.ExpectMsgAsync("slow#1=5");
    }

    [Fact]
    public async Task StopAsync_Region_DrainsEntitiesHandsOffStateAndRejectsLaterMessages()
    {
        var (_, system, probe) = ActorTestHelpers.Create();
        await using var _ = system;
        var f = new Fixture(system, probe);
        f.Region.Tell("a", new Sample(1));
        f.Region.Tell("b", new Sample(2));
        f.Region.Tell("a", new Report());

        await f.Region.StopAsync().WaitAsync(ActorTestHelpers.Safety);

        await probe.FishForMessageAsync<string>(s => s == "a#1=1"); // the queued Report was processed before stopping
        Assert.Equal(new[] { ("a", 1), ("b", 2) }, f.Passivated.Select(p => (p.Key, (int)p.State!)).OrderBy(p => p.Key));
        Assert.All(f.Passivated, p => Assert.Equal(PassivationReason.Shutdown, p.Reason));
        Assert.False(f.Region.Tell("a", new Sample(3)));
        Assert.Equal(DeadLetterReason.ActorStopped, (await system.NextDeadLetterAsync()).Reason);
    }

    [Fact]
    public async Task For_AskThroughEntityRef_ReachesCurrentIncarnation()
    {
        var (_, system, probe) = ActorTestHelpers.Create();
        await using var _ = system;
        var region = system.SpawnEntityRegion<int, (int Value, IActorRef<int> ReplyTo)>("squares",
            key => Actor.FromHandler<(int Value, IActorRef<int> ReplyTo)>((m, _) => { m.ReplyTo.Tell(key * m.Value); return ValueTask.CompletedTask; }));
        var reply = await region.For(6).AskAsync<(int, IActorRef<int>), int>(r => (7, r), TimeSpan.FromSeconds(5)).WaitAsync(ActorTestHelpers.Safety);
        Assert.Equal(42, reply);
        await region.PassivateAsync(6).WaitAsync(ActorTestHelpers.Safety);
        reply = await region.For(6).AskAsync<(int, IActorRef<int>), int>(r => (2, r), TimeSpan.FromSeconds(5)).WaitAsync(ActorTestHelpers.Safety);
        Assert.Equal(12, reply);
    }
}

public sealed class EntityRegionFailureTests
{
    [Fact]
    public async Task Tell_EntityStoppedAfterFailure_NextMessageCreatesNewIncarnation()
    {
        var (_, system, probe) = ActorTestHelpers.Create();
        await using var _ = system;
        var incarnations = 0;
        var region = system.SpawnEntityRegion<string, string>("devices", key =>
        {
            var n = Interlocked.Increment(ref incarnations);
            return Actor.FromHandler<string>((m, _) =>
            {
                if (m == "bad") throw new FormatException("corrupt frame");
                probe.Tell($"{key}#{n} {m}");
                return ValueTask.CompletedTask;
            });
        }, new EntityRegionOptions<string> { Supervision = SupervisionStrategy.Stop });

        region.Tell("d1", "ok");
        await probe.ExpectMsgAsync("d1#1 ok");
        region.Tell("d1", "bad");
        var dead = await system.NextDeadLetterAsync();
        Assert.IsType<FormatException>(dead.Error);
        Assert.Equal("vigil://test/user/devices/d1", dead.Recipient.ToString());
        await probe.WhenSystemIdleAsync();
        Assert.Equal(0, region.LiveCount);

        region.Tell("d1", "again");
        await probe.ExpectMsgAsync("d1#2 again");
        Assert.Equal(1, region.LiveCount);
    }
}
