using OpenCvSharp;
using Vigil.Infrared.Training.ActionUnits;

namespace Vigil.Infrared.Tests.ActionUnits;

/// <summary>The AU student's parts that do not need training: crops, YOLO boxes, agreement figures.</summary>
public sealed class AuStudentPartsTests
{
    [Fact]
    public void Crop_BrightSquare_LandsInTheMiddleAndMirrors()
    {
        using var image = new Mat(100, 100, MatType.CV_8UC3, Scalar.All(0));
        image.Rectangle(new Rect(40, 40, 10, 20), Scalar.All(255), -1); // left half of the box is bright
        var crop = FaceCrops.Crop(image, 40, 40, 60, 60, 24);
        Assert.Equal(24 * 24, crop.Length);
        Assert.All(crop, v => Assert.InRange(v, -1f, 1f));
        float Mean(float[] c, int x0, int x1) => Enumerable.Range(0, 24).SelectMany(y => Enumerable.Range(x0, x1 - x0).Select(x => c[y * 24 + x])).Average();
        Assert.True(Mean(crop, 4, 11) > 0.5f && Mean(crop, 13, 20) < -0.5f, "the bright half is not on the left");
        var mirrored = FaceCrops.Mirror(crop, 24);
        Assert.True(Mean(mirrored, 13, 20) > 0.5f && Mean(mirrored, 4, 11) < -0.5f, "the mirror did not move it to the right");
    }

    [Theory]
    [InlineData("0 0.5 0.25 0.1 0.2", 0.5f, 0.25f)]
    [InlineData("00.1625 0.279 0.05 0.09", 0.1625f, 0.279f)]
    public void ParseYolo_NormalAndGluedClass_ReadsTheCentre(string line, float cx, float cy)
    {
        var b = AuStudentData.ParseYolo(line);
        Assert.NotNull(b);
        Assert.Equal(cx, b.Value.Cx, 5);
        Assert.Equal(cy, b.Value.Cy, 5);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0 0.5 0.5 0 0.2")]
    [InlineData("0 x 0.5 0.1 0.2")]
    public void ParseYolo_Malformed_IsSkipped(string line) => Assert.Null(AuStudentData.ParseYolo(line));

    [Fact]
    public void Measure_KnownRows_GivesMaeAndCorrelation()
    {
        float[][] teacher = [[0f, 0.5f], [0.5f, 0.5f], [1f, 0.5f]];
        float[][] student = [[0.1f, 0.2f], [0.6f, 0.3f], [1f, 0.4f]];
        var a = AuAgreement.Measure(["AU1", "AU2"], teacher, student);
        Assert.Equal(0.2 / 3, a[0].Mae, 5);
        Assert.True(a[0].Pearson > 0.99);
        Assert.Equal(0.2, a[1].Mae, 5);
        Assert.True(double.IsNaN(a[1].Pearson), "a constant teacher has no correlation");
        Assert.Equal(0.5, a[1].TeacherMean, 5);
        Assert.Equal(0, a[1].TeacherStd, 5);
    }
}
