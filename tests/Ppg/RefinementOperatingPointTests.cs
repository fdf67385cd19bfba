using System.Text;
using Vigil.Ppg.Tracking;
using Vigil.Ppg.Training;

namespace Vigil.Ppg.Tests;

public sealed class RefinementOperatingPointTests
{
    private static readonly float[] NoFeatures = new float[RefinementFeatures.Count];

    // A recording's windows: `wrong` of them off by `error` BPM with probability `pWrong`, the rest off by 1 BPM with probability 0.9.
    private static IEnumerable<(RefinementExample Example, double P)> Recording(string group, int windows, int wrong, double error, double pWrong) =>
        Enumerable.Range(0, windows).Select(i => i < wrong
            ? (new RefinementExample(group, NoFeatures, error), pWrong)
            : (new RefinementExample(group, NoFeatures, 1), 0.9));

    [Fact]
    public void FromProbabilities_WithholdsDoubtedWindowsUpToTheCoverageTarget()
    {
        // Recorded: 2 % of windows 20 BPM off at p 0.3 (worth withholding), 3 % 8 BPM off at p 0.45.
        var data = Recording("A", 100, 2, 20, 0.3).Concat(Recording("B", 100, 0, 0, 0))
            .Concat(Recording("C", 100, 3, 8, 0.45)).ToList();
        var options = new RefinementTrainingOptions(TargetCoverage: 0.98);
        var point = RefinementOperatingPoint.FromProbabilities(data.Select(d => d.Example).ToList(), data.Select(d => d.P).ToList(), options);
        // Withholding the 0.3 windows costs 0.67 % coverage; the 0.45 ones would take it to 98.3 %, still allowed.
        Assert.True(point.Threshold > 0.45, $"threshold {point.Threshold}");
        Assert.Equal(1.0, point.Chosen.MeanMaeReportedBpm, 6);
        Assert.True(point.Chosen.Coverage >= 0.98);
        // A stricter target keeps the 8-BPM windows but still drops the 20-BPM ones.
        var strict = RefinementOperatingPoint.FromProbabilities(data.Select(d => d.Example).ToList(), data.Select(d => d.P).ToList(),
            options with { TargetCoverage = 0.99 });
        Assert.InRange(strict.Threshold, 0.3001, 0.45);
        Assert.True(strict.Chosen.MeanMaeReportedBpm > 1.0);
        Assert.Equal(RefinementOperatingPoint.Candidates.Count, strict.Curve.Count);
    }

    [Fact]
    public void FromProbabilities_GeneratedCoverageTargetLimitsTheThreshold()
    {
        // Generated (other-device) windows the model doubts at p 0.25 but which are right: withholding them would cost 20 % coverage there.
        var data = Recording("A", 100, 2, 20, 0.4)
            .Concat(Enumerable.Range(0, 100).Select(i => (Example: new RefinementExample(RefinementOperatingPoint.GeneratedPrefix + "g", NoFeatures, i < 20 ? 2 : 1), P: i < 20 ? 0.25 : 0.9)))
            .ToList();
        var options = new RefinementTrainingOptions(TargetCoverage: 0.95, TargetGeneratedCoverage: 0.9);
        var point = RefinementOperatingPoint.FromProbabilities(data.Select(d => d.Example).ToList(), data.Select(d => d.P).ToList(), options);
        Assert.True(point.Threshold <= 0.25, $"threshold {point.Threshold} withholds the generated windows");
        Assert.True(point.Chosen.GeneratedCoverage >= 0.9);
    }

    [Fact]
    public void Weights_CarryTheOperatingPoint_AndTheTrackerUsesIt()
    {
        var mean = new float[RefinementFeatures.Count];
        var std = Enumerable.Repeat(1f, RefinementFeatures.Count).ToArray();
        // A constant model: p = sigmoid(0) = 0.5 for every window.
        var layers = new List<(float[], float[])> { (new float[RefinementFeatures.Count], new float[1]) };
        var withOp = PpgRefinementModel.Parse(PpgRefinementModel.Serialize(mean, std, layers, 0.55), "op", "op.json");
        Assert.Equal(0.55, withOp.WithholdBelow);
        Assert.Null(PpgRefinementModel.Parse(PpgRefinementModel.Serialize(mean, std, layers), "none", "none.json").WithholdBelow);
        var bad = Encoding.UTF8.GetString(PpgRefinementModel.Serialize(mean, std, layers, 0.5)).Replace("\"withhold_below\":0.5", "\"withhold_below\":1.5");
        var e = Assert.Throws<PpgInputException>(() => PpgRefinementModel.Parse(Encoding.UTF8.GetBytes(bad), "bad", "bad.json"));
        Assert.Contains("bad.json", e.Message);
        Assert.Contains("withhold_below", e.Message);

        var rec = TestSignals.Synthetic(seconds: 40).Recording;
        var withheld = Evaluation.PpgEvaluator.RunDirect(rec, PpgTrackerOptions.Default with { Refinement = withOp });
        Assert.All(withheld, r => Assert.Equal(PpgStatus.Withheld, r.Status));
        // The caller's explicit threshold overrides the model's operating point.
        var shown = Evaluation.PpgEvaluator.RunDirect(rec, PpgTrackerOptions.Default with { Refinement = withOp, RefinedWithholdProbability = 0.45 });
        Assert.All(shown, r => Assert.Equal(PpgStatus.LowConfidence, r.Status));
    }
}
