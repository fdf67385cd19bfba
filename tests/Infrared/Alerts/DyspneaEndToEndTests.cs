using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.TestKit.Xunit2;
using Vigil.Infrared.Alerts;
using Vigil.Infrared.Breathing;
using Vigil.Infrared.Breathing.Synthetic;
using Vigil.Tests.Common;

namespace Vigil.Infrared.Tests.Alerts;

/// <summary>Generated thermal frames → breathing windows → dyspnea alert, with an AU stream, on virtual time.</summary>
public sealed class DyspneaEndToEndTests() : TestKit(AkkaTestConfig.VirtualTime)
{
    [Fact]
    public async Task Tachypnea_with_struggle_raises_then_clears_from_generated_frames()
    {
        var scenario = new ThermalFaceScenario
        {
            Seed = 11, DurationSeconds = 300,
            RateKnots = [(0, 14), (60, 14), (100, 32), (180, 32), (220, 14), (300, 14)],
        };
        var sequence = new ThermalFaceSequence(scenario);
        var tracker = new BreathingRateTracker("bed-3", provenance: "generated seed 11");
        var windows = sequence.Frames().SelectMany(f => tracker.Push(BreathingFlows.Sample(f, new WarmRegionFaceDetector(), new NostrilRegionRule())));
        var au = Enumerable.Range(0, 150).Select(i => new ActionUnitIntensities("bed-3", TimeSpan.FromSeconds(2 * i),
            new[] { 4, 6, 7, 9, 26, 27 }.ToDictionary(u => u, _ => 2 * i is >= 90 and < 190 ? 3.0 : 0.3), "test AU"));
        var inputs = windows.Select(DyspneaInput.Of).Concat(au.Select(DyspneaInput.Of))
            .OrderBy(i => i is BreathingInput b ? b.Window.End : ((ActionUnitInput)i).Sample.Time).ToList();
        var events = await Source.From(inputs).Via(DyspneaAlertStage.Flow(new DyspneaAlertCard())).RunWith(Sink.Seq<DyspneaEvent>(), Sys.Materializer());
        Assert.Equal(2, events.Count);
        var raised = events[0];
        Assert.Equal(DyspneaEventKind.AlertRaised, raised.Kind);
        Assert.InRange(raised.Time.TotalSeconds, 95, 130);
        Assert.Contains(raised.Evidence, e => e.Kind == "tachypnea" && e.Met && e.Value >= 24);
        Assert.Contains(raised.Evidence, e => e.Kind == "au-activity" && e.Met);
        var cleared = events[1];
        Assert.Equal(DyspneaEventKind.AlertCleared, cleared.Kind);
        Assert.InRange(cleared.Time.TotalSeconds, 200, 260);
        Assert.Contains(cleared.Evidence, e => e.Kind == "tachypnea" && !e.Met && e.Value < 21);
    }
}
