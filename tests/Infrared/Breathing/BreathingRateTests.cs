using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.TestKit.Xunit2;
using Vigil.Infrared.Breathing;
using Vigil.Infrared.Breathing.Synthetic;
using Vigil.Tests.Common;
using Xunit.Abstractions;

namespace Vigil.Infrared.Tests.Breathing;

public sealed class BreathingRateTests(ITestOutputHelper output) : TestKit(AkkaTestConfig.Quiet)
{
    private static IReadOnlyList<BreathingWindow> Run(ThermalFaceSequence sequence, IThermalFaceDetector detector, BreathingOptions? options = null)
    {
        var tracker = new BreathingRateTracker("p1", options, BreathingFlows.Provenance(detector));
        var rule = new NostrilRegionRule();
        var windows = new List<BreathingWindow>();
        foreach (var frame in sequence.Frames()) windows.AddRange(tracker.Push(BreathingFlows.Sample(frame, detector, rule)));
        return windows;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Tuning_seeds_meet_the_floor(int seed)
    {
        var sequence = new ThermalFaceSequence(ThermalFaceScenario.Random(seed));
        var windows = Run(sequence, new WarmRegionFaceDetector());
        var score = BreathingScore.Of(windows, sequence);
        output.WriteLine(score.ToString());
        foreach (var w in windows)
            output.WriteLine($"{w.Start.TotalSeconds,6:0} {w.Status,-8} {w.RateBpm,6:0.00} truth {sequence.MeanRate(w.Start.TotalSeconds, w.End.TotalSeconds),6:0.00} art {sequence.ArtefactSeconds(w.Start.TotalSeconds, w.End.TotalSeconds),4:0} amp {w.AmplitudeCelsius:0.000} share {w.PeakShare:0.00} hf {w.HighFrequencyRatio:0.000} cv {w.BreathIntervalCv:0.00} pause {w.LongestPauseSeconds:0.0} {w.Reason}");
        Assert.True(score.MaeBpm <= 1.0, score.ToString());
    }
}
