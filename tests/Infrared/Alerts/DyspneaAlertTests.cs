using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Vigil.Infrared.Alerts;
using Vigil.Infrared.Breathing;
using Vigil.Infrared.Fhir;
using Vigil.Tests.Common;

namespace Vigil.Infrared.Tests.Alerts;

/// <summary>Scenario tests of the dyspnea alert on virtual time (TestScheduler): onset, recovery, lost face, sensor dropout.</summary>
public sealed class DyspneaAlertTests : TestKit
{
    private static readonly DyspneaAlertCard Card = new();
    private int _index;

    public DyspneaAlertTests() : base(AkkaTestConfig.VirtualTime) { }

    private TestScheduler Scheduler => (TestScheduler)Sys.Scheduler;

    private BreathingWindow Window(string patient, double end, double bpm, double cv = 0.1, double pause = 5, double tracked = 1, BreathingStatus? status = null, string? reason = null) =>
        new(patient, _index++, TimeSpan.FromSeconds(end - 30), TimeSpan.FromSeconds(end), status ?? (double.IsFinite(bpm) ? BreathingStatus.Ok : BreathingStatus.Withheld),
            bpm, reason, tracked, 0.2, 0.7, 0.01, cv, pause, 10, "test windows");

    private ActionUnitIntensities Au(string patient, double t, double level) =>
        new(patient, TimeSpan.FromSeconds(t), new Dictionary<int, double> { [4] = level, [6] = level, [7] = level, [9] = level, [26] = level, [27] = level }, "test AU");

    private (TestPublisher.Probe<DyspneaInput> In, TestSubscriber.Probe<DyspneaEvent> Out) Materialize() =>
        this.SourceProbe<DyspneaInput>().Via(DyspneaAlertStage.Flow(Card)).ToMaterialized(this.SinkProbe<DyspneaEvent>(), Keep.Both).Run(Sys.Materializer());

    [Fact]
    public void Onset_needs_two_windows_of_evidence_and_carries_it_then_recovery_needs_three_calm_windows()
    {
        var (pub, sub) = Materialize();
        sub.Request(10);
        pub.SendNext(DyspneaInput.Of(Window("a", 30, 16)));
        pub.SendNext(DyspneaInput.Of(Au("a", 31, 3)));
        pub.SendNext(DyspneaInput.Of(Window("a", 32, 28)));  // tachypnea 2 + AU 1 = 3: first onset window
        sub.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        pub.SendNext(DyspneaInput.Of(Window("a", 34, 29)));  // second: raised
        var raised = sub.ExpectNext();
        Assert.Equal(DyspneaEventKind.AlertRaised, raised.Kind);
        Assert.True(raised.AlertActive);
        Assert.Equal(3, raised.Score);
        Assert.Contains(raised.Evidence, e => e.Kind == "tachypnea" && e.Met && e.Value == 29 && e.Threshold == 24);
        Assert.Contains(raised.Evidence, e => e.Kind == "au-activity" && e.Met && e.Value == 3);
        Assert.Contains(raised.Evidence, e => e.Kind == "irregularity" && !e.Met);
        Assert.Contains("NOT FOR CLINICAL USE", raised.Provenance);

        // Hysteresis: 22 /min is under the onset threshold but over the recovery one, so the alert holds.
        pub.SendNext(DyspneaInput.Of(Au("a", 35, 0)));
        for (var t = 36; t <= 44; t += 2) pub.SendNext(DyspneaInput.Of(Window("a", t, 22)));
        sub.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        pub.SendNext(DyspneaInput.Of(Au("a", 45, 0)));
        pub.SendNext(DyspneaInput.Of(Window("a", 46, 17)));
        pub.SendNext(DyspneaInput.Of(Window("a", 48, 16)));
        sub.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        pub.SendNext(DyspneaInput.Of(Window("a", 50, 16)));
        var cleared = sub.ExpectNext();
        Assert.Equal(DyspneaEventKind.AlertCleared, cleared.Kind);
        Assert.False(cleared.AlertActive);
        Assert.Contains(cleared.Evidence, e => e.Kind == "tachypnea" && !e.Met && e.Threshold == 21);
    }

    [Fact]
    public void Apnoea_raises_at_once_even_though_the_rate_is_withheld()
    {
        var (pub, sub) = Materialize();
        sub.Request(5);
        pub.SendNext(DyspneaInput.Of(Window("b", 30, 14)));
        pub.SendNext(DyspneaInput.Of(Window("b", 32, double.NaN, pause: 24, reason: "signal weak")));
        var raised = sub.ExpectNext();
        Assert.Equal(DyspneaEventKind.AlertRaised, raised.Kind);
        Assert.Contains("apnoea", raised.Reason);
        Assert.Contains(raised.Evidence, e => e.Kind == "apnoea" && e.Met && e.Value == 24);
    }

    [Fact]
    public void Lost_face_interrupts_monitoring_holds_the_alert_and_resumes()
    {
        var (pub, sub) = Materialize();
        sub.Request(10);
        pub.SendNext(DyspneaInput.Of(Window("c", 30, 14)));
        pub.SendNext(DyspneaInput.Of(Window("c", 32, double.NaN, pause: 25, reason: "signal weak")));
        Assert.Equal(DyspneaEventKind.AlertRaised, sub.ExpectNext().Kind);
        // Face lost: windows untracked; after 20 s without a tracked window monitoring is interrupted.
        for (var t = 34; t <= 50; t += 2) pub.SendNext(DyspneaInput.Of(Window("c", t, double.NaN, tracked: 0.3, reason: "region lost for 70% of the window: no face found")));
        sub.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        pub.SendNext(DyspneaInput.Of(Window("c", 52, double.NaN, tracked: 0.1, reason: "region lost for 90% of the window: no face found")));
        var lost = sub.ExpectNext();
        Assert.Equal(DyspneaEventKind.MonitoringLost, lost.Kind);
        Assert.True(lost.AlertActive);
        Assert.Contains("face lost for 20 s", lost.Reason);
        Assert.Contains("alert held", lost.Reason);
        pub.SendNext(DyspneaInput.Of(Window("c", 80, 15)));
        var resumed = sub.ExpectNext();
        Assert.Equal(DyspneaEventKind.MonitoringResumed, resumed.Kind);
        Assert.True(resumed.AlertActive);
    }

    [Fact]
    public void Sensor_dropout_is_reported_on_virtual_time_per_patient()
    {
        var (pub, sub) = Materialize();
        sub.Request(10);
        pub.SendNext(DyspneaInput.Of(Window("d", 30, 14)));
        pub.SendNext(DyspneaInput.Of(Window("e", 30, 14)));
        pub.SendNext(DyspneaInput.Of(Window("e", 32, double.NaN, pause: 22, reason: "signal weak")));
        Assert.Equal("e", sub.ExpectNext().PatientId); // the stage has taken every input: timers are set
        Scheduler.Advance(TimeSpan.FromSeconds(29));
        sub.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        pub.SendNext(DyspneaInput.Of(Window("e", 34, double.NaN, pause: 24, reason: "signal weak")));  // e keeps sending
        sub.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Scheduler.Advance(TimeSpan.FromSeconds(2));
        var dropout = sub.ExpectNext();
        Assert.Equal(DyspneaEventKind.MonitoringLost, dropout.Kind);
        Assert.Equal("d", dropout.PatientId);
        Assert.Contains("sensor dropout", dropout.Reason);
        Assert.Equal(TimeSpan.FromSeconds(60), dropout.Time);
        Scheduler.Advance(TimeSpan.FromSeconds(30));
        var second = sub.ExpectNext();
        Assert.Equal("e", second.PatientId);
        Assert.True(second.AlertActive);
        Scheduler.Advance(TimeSpan.FromSeconds(60));
        sub.ExpectNoMsg(TimeSpan.FromMilliseconds(100)); // reported once per interruption
    }

    [Fact]
    public void Card_round_trips_and_a_bad_card_names_the_file()
    {
        Assert.Equal(Card.ToJson(), DyspneaAlertCard.Parse(Card.ToJson(), "x").ToJson());
        var changed = DyspneaAlertCard.Parse("""{ "tachypnea_onset_bpm": 30, "tachypnea_recovery_bpm": 26 }""", "x");
        Assert.Equal(30, changed.TachypneaOnsetBpm);
        Assert.Equal(3, changed.RaiseScore);
        var e = Assert.Throws<InvalidDataException>(() => DyspneaAlertCard.Parse("""{ "tachypnea_onset_bpm": 20, "tachypnea_recovery_bpm": 26 }""", "card.json"));
        Assert.StartsWith("card.json: ", e.Message);
        Assert.Contains("tachypnea_recovery_bpm", e.Message);
        e = Assert.Throws<InvalidDataException>(() => DyspneaAlertCard.Parse("""{ "tachypnoea": 1 }""", "card.json"));
        Assert.StartsWith("card.json: dyspnea card is not valid JSON", e.Message);
    }

    [Fact]
    public void Fhir_observations_for_rate_and_alert_parse_back()
    {
        var start = new DateTimeOffset(2026, 12, 5, 0, 0, 0, TimeSpan.Zero);
        var window = Window("p1", 62, 18.26);
        var rr = InfraredObservations.Parse(InfraredObservations.ToJson(InfraredObservations.BreathingRate(window, start, start.AddMinutes(2))));
        Assert.Equal(InfraredObservations.RespiratoryRateLoinc, rr.Code!.Coding[0].Code);
        var q = Assert.IsType<Hl7.Fhir.Model.Quantity>(rr.Value);
        Assert.Equal(18.3m, q.Value!.Value);
        Assert.Equal("/min", q.Code);
        Assert.Equal("2026-12-05T00:00:32+00:00", ((Hl7.Fhir.Model.Period)rr.Effective!).Start);
        Assert.Contains(rr.Note, n => n.Text!.Contains("NOT FOR CLINICAL USE"));

        var withheld = InfraredObservations.Parse(InfraredObservations.ToJson(InfraredObservations.BreathingRate(Window("p1", 64, double.NaN, reason: "talking: mouth"), start, start)));
        Assert.Null(withheld.Value);
        Assert.Contains("talking", withheld.DataAbsentReason!.Text);

        var assessor = new DyspneaAssessor("p1", Card);
        assessor.OnBreathing(Window("p1", 30, 14));
        var raised = assessor.OnBreathing(Window("p1", 32, double.NaN, pause: 30, reason: "signal weak")).Single();
        var alert = InfraredObservations.Parse(InfraredObservations.ToJson(InfraredObservations.DyspneaAlert(raised, start, start)));
        Assert.Equal(InfraredObservations.DyspneaSnomed, alert.Code!.Coding[0].Code);
        Assert.Equal("52101004", ((Hl7.Fhir.Model.CodeableConcept)alert.Value!).Coding[0].Code);
        Assert.Equal(raised.Evidence.Count, alert.Component.Count);
        Assert.Contains(alert.Component, c => c.Code!.Text!.StartsWith("apnoea") && ((Hl7.Fhir.Model.Quantity)c.Value!).Value == 30m && c.Interpretation[0].Text!.StartsWith("met"));
    }
}
