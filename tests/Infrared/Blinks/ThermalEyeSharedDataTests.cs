using Vigil.Infrared.Blinks;
using Vigil.Tests.Common;
using Xunit;

namespace Vigil.Infrared.Tests.Blinks;

/// <summary>The real thermal-eye recordings in ../shared/data/thermal-eye (fails with a clear message when absent).</summary>
public sealed class ThermalEyeSharedDataTests
{
    private static readonly Lazy<IReadOnlyList<ThermalEyeRecording>> Recordings =
        new(() => ThermalEyeFolder.ReadAll(SharedData.Require("data/thermal-eye")));

    [Fact]
    public void ReadAll_SharedFolder_ThirtyTwoLabelledRecordingsInFourGroups()
    {
        var all = Recordings.Value;
        Assert.Equal(32, all.Count);
        Assert.Equal(["mild", "normal", "severe", "slow"], all.Select(r => r.Group).Distinct().Order(StringComparer.Ordinal));
        Assert.True(all.Select(r => r.Subject).Distinct().Count() >= 4);
        Assert.All(all, r => Assert.True(r.Labels is { Count: > 0 } && r.Frames.Count > 1500, r.Name));
        Assert.All(all, r => Assert.InRange(r.Frames[0].Average(), 25f, 40f));
    }

    [Fact]
    public void AlignmentStudy_SharedFolder_OneSmallConstantFitsAndTheNameClocksDoNot()
    {
        var rows = AlignmentStudy.Run(Recordings.Value);
        var constant = LabelAlignment.ConstantOffset(rows.Select(r => r.FittedOffsetMs));

        Assert.InRange(constant, -300, 300);
        Assert.True(rows.Count(r => Math.Abs(r.FittedOffsetMs - constant) <= 300) >= 26);
        Assert.True(rows.Count(r => Math.Abs(r.FittedOffsetMs - r.NameRuleMs) <= 150) <= 3);
        Assert.True(rows.Count(r => Math.Abs(r.FittedOffsetMs - r.FirstFrameRuleMs) <= 300) == 0);
    }

    [Fact]
    public void LeaveOneSubjectOut_SharedFolder_EventF1MeetsTheFloor()
    {
        var result = BlinkEvaluation.LeaveOneSubjectOut(Recordings.Value);

        Assert.True(result.Overall.F1 >= 0.8, $"LOSO event F1 {result.Overall.F1:0.000} < 0.8");
        Assert.Equal(32, result.Recordings.Count);
        // Every fold placed labels with a constant from its training subjects only, near the study's -120 ms.
        Assert.All(result.Recordings, r => Assert.InRange(r.LabelOffsetMs, -300, 300));
    }
}
