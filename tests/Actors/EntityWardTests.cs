using Akka.Actor;
using Akka.TestKit;
using Vigil.Actors.Wards;
using Vigil.Tests.Common;

namespace Vigil.Actors.Tests;

/// <summary>The keyed entity ward on Akka.TestKit with virtual time, with a counting entity.</summary>
public sealed class EntityWardTests() : Akka.TestKit.Xunit2.TestKit(AkkaTestConfig.VirtualTime)
{
    private TestScheduler Scheduler => (TestScheduler)Sys.Scheduler;

    /// <summary>A message for entity <paramref name="Key"/>.</summary>
    private sealed record Add(string Key, int Amount);

    /// <summary>The entity's running total, told to the sender after every <see cref="Add"/>.</summary>
    private sealed record Total(string Key, int Value, string ActorName);

    private sealed record GetTotal(string Key) : IEntityQuery
    {
        public string EntityKey => Key;
        public object NotLiveReply => new Total(Key, -1, "");
    }

    private sealed record Boom(string Key);

    // Keeps a sum; idle after the timeout; throws on Boom.
    private sealed class Counter : ReceiveActor
    {
        private int _sum;

        public Counter(string key, TimeSpan? idle)
        {
            Receive<Add>(m => { _sum += m.Amount; Sender.Tell(new Total(key, _sum, Self.Path.Name)); });
            Receive<GetTotal>(_ => Sender.Tell(new Total(key, _sum, Self.Path.Name)));
            Receive<Boom>(_ => throw new InvalidOperationException("entity bug"));
            Receive<ReceiveTimeout>(_ => Context.Parent.Tell(new EntityIdle(key)));
            if (idle is { } t) SetReceiveTimeout(t);
        }
    }

    private IActorRef Ward(int maxLive = 100, TimeSpan? idle = null) => Sys.ActorOf(EntityWard.Props(new EntityWardSettings(
        KeyOf: m => m switch { Add a => a.Key, Boom b => b.Key, _ => null },
        EntityProps: key => Props.Create(() => new Counter(key, idle)),
        MaxLive: maxLive,
        Listener: TestActor)));

    [Fact]
    public void Messages_RoutedByKey_EachKeyKeepsItsOwnState()
    {
        var ward = Ward();
        ward.Tell(new Add("a", 1));
        ward.Tell(new Add("b", 10));
        ward.Tell(new Add("a", 2));
        // Different entities answer in any order; one entity answers in its own order.
        var totals = ReceiveN(3).Cast<Total>().ToList();
        Assert.Equal([1, 3], totals.Where(t => t.Key == "a").Select(t => t.Value));
        Assert.Equal([10], totals.Where(t => t.Key == "b").Select(t => t.Value));
        Assert.Single(totals.Where(t => t.Key == "a").Select(t => t.ActorName).Distinct());
        ward.Tell(GetLiveEntities.Instance);
        Assert.Equal(["b", "a"], ExpectMsg<LiveEntities>().Keys); // least recently active first
    }

    [Fact]
    public void Query_NotLive_AnsweredByWardWithoutStartingEntity()
    {
        var ward = Ward();
        ward.Tell(new GetTotal("nobody"));
        Assert.Equal(-1, ExpectMsg<Total>().Value);
        ward.Tell(GetLiveEntities.Instance);
        Assert.Empty(ExpectMsg<LiveEntities>().Keys);
    }

    [Fact]
    public void IdleEntity_OnVirtualTime_PassivatedThenFreshState()
    {
        var ward = Ward(idle: TimeSpan.FromMinutes(5));
        ward.Tell(new Add("a", 7));
        Assert.Equal(7, ExpectMsg<Total>().Value);
        Scheduler.Advance(TimeSpan.FromMinutes(4));
        ward.Tell(new GetTotal("a"));
        Assert.Equal(7, ExpectMsg<Total>().Value); // not idle long enough yet
        Scheduler.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal("a", ExpectMsg<EntityPassivated>().Key);
        ward.Tell(new Add("a", 1));
        Assert.Equal(1, ExpectMsg<Total>().Value); // a new incarnation
    }

    [Fact]
    public void MaxLive_LeastRecentlyActivePassivated_MessagesDuringStopReachNextIncarnation()
    {
        var ward = Ward(maxLive: 2);
        ward.Tell(new Add("a", 1));
        ward.Tell(new Add("b", 1));
        ward.Tell(new Add("a", 1));
        ReceiveN(3);
        ward.Tell(new Add("c", 1)); // b is the least recently active
        ward.Tell(new Add("b", 5)); // arrives while b may still be stopping: kept, not lost
        var got = ReceiveN(3);
        Assert.Contains(got, m => m is EntityPassivated { Key: "b" });
        Assert.Contains(got, m => m is Total { Key: "c", Value: 1 });
        Assert.Contains(got, m => m is Total { Key: "b", Value: 5 }); // fresh state, nothing lost
    }

    [Fact]
    public void EntityFailure_RestartsOnlyThatEntity()
    {
        var ward = Ward();
        ward.Tell(new Add("a", 3));
        ward.Tell(new Add("b", 4));
        ReceiveN(2);
        EventFilter.Exception<InvalidOperationException>().ExpectOne(() => ward.Tell(new Boom("a")));
        ward.Tell(new GetTotal("a"));
        Assert.Equal(0, ExpectMsg<Total>().Value); // restarted: its state starts afresh
        ward.Tell(new GetTotal("b"));
        Assert.Equal(4, ExpectMsg<Total>().Value); // untouched
    }

    [Fact]
    public void Settings_NoRoomForAnEntity_Refused()
    {
        var settings = new EntityWardSettings(_ => null, _ => Props.Empty, MaxLive: 0, Listener: null);
        Assert.Throws<ArgumentOutOfRangeException>(settings.Validate);
    }
}
