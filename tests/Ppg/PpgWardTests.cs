using Vigil.Ppg.Data;
using Akka.Actor;
using Akka.TestKit;
using Vigil.Actors.Wards;
using Vigil.Ppg.Actors;
using Vigil.Tests.Common;

namespace Vigil.Ppg.Tests;

/// <summary>Per-patient entities as Akka actors under a ward, on Akka.TestKit with virtual time.</summary>
public sealed class PpgWardTests() : Akka.TestKit.Xunit2.TestKit(AkkaTestConfig.VirtualTime)
{
    private TestScheduler Scheduler => (TestScheduler)Sys.Scheduler;

    private static void Send(IActorRef ward, PpgRecording rec, string patient, int fromSecond, int toSecond)
    {
        for (var s = fromSecond; s < toSecond; s++) ward.Tell(rec.Slice(patient, s * 125, 125));
    }

    [Fact]
    public void Batches_RoutedToEachPatientsOwnActor_ResultsSameAsDirectTracker()
    {
        var a = TestSignals.Synthetic(seconds: 20, seed: 1).Recording;
        var b = TestSignals.Synthetic(seconds: 20, seed: 2).Recording;
        var ward = Sys.ActorOf(PpgWard.Props(new PpgStreamGraphOptions(), TestActor), "ward");
        for (var s = 0; s < 20; s++)
        {
            Send(ward, a, "alice", s, s + 1);
            Send(ward, b, "bob", s, s + 1);
        }
        // A generous bound: the first graph of a cold process can take seconds on a busy 2-core CI box.
        var results = ReceiveN(14, TimeSpan.FromSeconds(30)).Cast<PpgWindowResult>().ToList();
        Assert.Equal(TestSignals.Run(a).Select(r => r.Bpm), results.Where(r => r.PatientId == "alice").Select(r => r.Bpm));
        Assert.Equal(TestSignals.Run(b).Select(r => r.Bpm), results.Where(r => r.PatientId == "bob").Select(r => r.Bpm));
        ward.Tell(GetLiveEntities.Instance);
        Assert.Equal(["alice", "bob"], ExpectMsg<LiveEntities>().Keys);
    }

    [Fact]
    public void BadBatch_RefusedForThatPatientOnly_StateUnchanged()
    {
        var a = TestSignals.Synthetic(seconds: 12, seed: 3).Recording;
        var ward = Sys.ActorOf(PpgWard.Props(new PpgStreamGraphOptions(), TestActor));
        Send(ward, a, "carol", 0, 5);
        ward.Tell(a.Slice("carol", 0, 125)); // clock goes back
        Assert.Equal("carol", ExpectMsg<PpgIngestError>().PatientId);
        Send(ward, a, "carol", 5, 12);
        var results = ReceiveN(3, TimeSpan.FromSeconds(30)).Cast<PpgWindowResult>().Select(r => r.Bpm);
        Assert.Equal(TestSignals.Run(a).Select(r => r.Bpm), results);
    }

    [Fact]
    public void IdlePatient_OnVirtualTime_PassivatedAndBackWithFreshState()
    {
        var a = TestSignals.Synthetic(seconds: 20, seed: 4).Recording;
        var ward = Sys.ActorOf(PpgWard.Props(new PpgStreamGraphOptions { IdleTimeout = TimeSpan.FromMinutes(5) }, TestActor));
        Send(ward, a, "dave", 0, 9);
        Assert.Equal(0, ExpectMsg<PpgWindowResult>().WindowIndex);
        // A round trip through dave's actor: its receive timeout is armed before time moves.
        ward.Tell(new PpgWard.GetPatientStatus("dave"));
        Assert.Equal(new PpgWard.PatientStatus("dave", true, 1), ExpectMsg<PpgWard.PatientStatus>());
        Scheduler.Advance(TimeSpan.FromMinutes(4));
        ward.Tell(GetLiveEntities.Instance);
        Assert.Equal(["dave"], ExpectMsg<LiveEntities>().Keys); // not idle long enough yet
        Scheduler.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal("dave", ExpectMsg<EntityPassivated>().Key);
        ward.Tell(GetLiveEntities.Instance);
        Assert.Empty(ExpectMsg<LiveEntities>().Keys);
        ward.Tell(new PpgWard.GetPatientStatus("dave"));
        Assert.False(ExpectMsg<PpgWard.PatientStatus>().Live);
        // Back: a new actor whose tracker must warm up again (8 s) before its first window.
        Send(ward, a, "dave", 9, 18);
        Assert.Equal(0, ExpectMsg<PpgWindowResult>().WindowIndex);
    }

    [Fact]
    public void MaxPatients_LeastRecentlyActivePassivated_NoBatchLost()
    {
        var a = TestSignals.Synthetic(seconds: 10, seed: 5).Recording;
        var ward = Sys.ActorOf(PpgWard.Props(new PpgStreamGraphOptions { MaxPatients = 2 }, TestActor));
        Send(ward, a, "p1", 0, 1);
        Send(ward, a, "p2", 0, 1);
        Send(ward, a, "p1", 1, 2);
        Send(ward, a, "p3", 0, 1); // p2 is the least recently active
        Assert.Equal("p2", ExpectMsg<EntityPassivated>().Key);
        ward.Tell(GetLiveEntities.Instance);
        Assert.Equal(["p1", "p3"], ExpectMsg<LiveEntities>().Keys);
        // p1 goes on to its first window: its state survived p3's arrival.
        Send(ward, a, "p1", 2, 9);
        Assert.Equal(("p1", 0L), ExpectMsg<PpgWindowResult>() is var r ? (r.PatientId, r.WindowIndex) : default);
    }

    [Fact]
    public void PatientSupervision_UnexpectedFailure_RestartsOnlyThatPatient()
    {
        var strategy = Assert.IsType<OneForOneStrategy>(EntityWard.EntitySupervision);
        Assert.Equal(Directive.Restart, strategy.Decider.Decide(new InvalidOperationException("tracker bug")));
    }
}
