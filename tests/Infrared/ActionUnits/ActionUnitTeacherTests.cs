using OpenCvSharp;
using Vigil.Infrared.ActionUnits;
using Vigil.Tests.Common;
using Xunit.Abstractions;

namespace Vigil.Infrared.Tests.ActionUnits;

/// <summary>The RGB AU teacher (MediaPipe landmarker + the FACS table) on the shared face images.</summary>
public sealed class ActionUnitTeacherTests(ITestOutputHelper output) : IDisposable
{
    private readonly ActionUnitTeacher _teacher = OpenTeacher();

    private static ActionUnitTeacher OpenTeacher()
    {
        SharedData.Require("assets/models/mediapipe_face_landmarker.task");
        return ActionUnitTeacher.Open(AuMappingTests.LandmarkerCard, AuMappingTests.MappingPath, SharedData.Root);
    }

    public void Dispose() => _teacher.Dispose();

    private float Of(AuReading r, string au) => r.Intensities[_teacher.Mapping.ActionUnits.ToList().IndexOf(au)];

    [Fact]
    public void Read_FrontalFace_FindsItWithOpenEyesAndIntensitiesInRange()
    {
        var r = _teacher.Read(SharedData.Require("assets/faces/intel_headpose_female_frame011.png"));
        Assert.NotNull(r);
        output.WriteLine(string.Join(" ", _teacher.Mapping.ActionUnits.Zip(r.Intensities, (a, v) => $"{a}={v:F2}")));
        Assert.Equal(_teacher.Mapping.ActionUnits.Count, r.Intensities.Length);
        Assert.All(r.Intensities, v => Assert.InRange(v, 0f, 1f));
        Assert.True(r.Width > 40 && r.Height > 40, $"face box {r.Width}x{r.Height}");
        Assert.True(Of(r, "AU45") < 0.5, $"eyes are open in this frame, AU45 = {Of(r, "AU45"):F2}");
        Assert.True(Of(r, "AU27") < 0.5, $"the mouth is closed, AU27 = {Of(r, "AU27"):F2}");
        Assert.Equal("mediapipe-face-landmarker", _teacher.Landmarker.Id);
    }

    [Fact]
    public void Read_MirroredFace_GivesAboutTheSameBilateralUnits()
    {
        using var image = Cv2.ImRead(SharedData.Require("assets/faces/intel_headpose_female_frame011.png"), ImreadModes.Color);
        using var mirrored = image.Flip(FlipMode.Y);
        var a = _teacher.Read(image)!;
        var b = _teacher.Read(mirrored)!;
        Assert.NotNull(b);
        var mean = a.Intensities.Zip(b.Intensities, (x, y) => Math.Abs(x - y)).Average();
        output.WriteLine($"mean |AU - AU(mirrored)| = {mean:F3}");
        Assert.True(mean < 0.1, $"mirroring changed the AUs by {mean:F3} on average");
    }

    [Fact]
    public void Read_TightCropWithPadding_StillFindsTheFace()
    {
        // The evaluation pairs are tight 256x256 face crops; the teacher pads them for the detector.
        using var strip = Cv2.ImRead(SharedData.Require("assets/thermal/visible_thermal_pairs/PP_eur_realA.png"), ImreadModes.Color);
        using var first = new Mat(strip, new Rect(0, 0, 256, 256));
        var r = _teacher.Read(first, pad: 0.3);
        Assert.NotNull(r);
        Assert.InRange((r.X1 + r.X2) / 2, 64f, 192f);
        Assert.InRange((r.Y1 + r.Y2) / 2, 64f, 192f);
    }

    [Fact]
    public void Read_BlankImage_GivesNoReading()
    {
        using var grey = new Mat(240, 320, MatType.CV_8UC3, Scalar.All(128));
        Assert.Null(_teacher.Read(grey));
    }

    [Fact]
    public void Read_Undecodable_NamesTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"vigil-not-an-image-{Environment.ProcessId}.png");
        File.WriteAllText(path, "not a png");
        try
        {
            var e = Assert.Throws<InvalidDataException>(() => _teacher.Read(path));
            Assert.Contains(path, e.Message);
        }
        finally { File.Delete(path); }
    }
}
