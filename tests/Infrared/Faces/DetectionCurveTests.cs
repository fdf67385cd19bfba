using Vigil.Infrared.Faces;

namespace Vigil.Infrared.Tests.Faces;

public sealed class DetectionCurveTests
{
    private static readonly ThermalFace[] Truth = [new(10, 10, 20, 20, 1), new(60, 10, 20, 20, 1)];

    [Fact]
    public void At_OneHitOneMissOneFalseAlarm_RecallHalfPrecisionHalf()
    {
        var curve = new DetectionCurve();
        curve.Add([new(11, 11, 20, 20, 0.9f), new(100, 80, 20, 20, 0.8f)], Truth);
        var p = curve.At(0.5);
        Assert.Equal(0.5, p.Recall, 6);
        Assert.Equal(0.5, p.Precision, 6);
        Assert.Equal(1, curve.At(0.85).Precision, 6);
    }

    [Fact]
    public void Add_TwoDetectionsOnOneFace_SecondIsFalsePositive()
    {
        var curve = new DetectionCurve();
        var hits = curve.Add([new(10, 10, 20, 20, 0.9f), new(12, 12, 20, 20, 0.7f)], Truth);
        Assert.True(hits[0].Hit);
        Assert.False(hits[1].Hit);
        Assert.Equal(1, curve.At(0).FalsePositives);
    }

    [Fact]
    public void BestRecallAtPrecision_LowThresholdAddsFalseAlarms_PicksHighestRecallAboveFloor()
    {
        var curve = new DetectionCurve();
        curve.Add([new(10, 10, 20, 20, 0.9f), new(0, 90, 10, 10, 0.6f), new(61, 10, 20, 20, 0.3f)], Truth);
        var best = curve.BestRecallAtPrecision(0.8)!;
        Assert.Equal(0.5, best.Recall, 6);
        Assert.Equal(0.9, best.Threshold, 4);
        Assert.Equal(1.0, curve.BestF1()!.Recall, 6);
    }

    [Fact]
    public void IoU_BoxBelowHalfOverlap_DoesNotMatch()
    {
        var curve = new DetectionCurve();
        curve.Add([new(20, 10, 20, 20, 0.9f)], Truth); // IoU 1/3 with the first face
        Assert.Equal(0, curve.At(0).TruePositives);
    }
}
