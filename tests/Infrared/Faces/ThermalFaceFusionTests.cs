using OpenCvSharp;
using Vigil.Infrared.Faces;
using Vigil.Tests.Common;

namespace Vigil.Infrared.Tests.Faces;

public sealed class ThermalFaceFusionTests
{
    private static string ShippedCard => Path.Combine(SharedData.RepositoryRoot, "models", "ir-face-centernet", "ir-face-centernet.card.json");

    [Fact]
    public void Fuse_TwoOverlappingBoxesFromTwoViews_BecomeOneWeightedBox()
    {
        var a = new ThermalFace(10, 10, 10, 10, 0.8f);
        var b = new ThermalFace(12, 10, 10, 10, 0.4f); // IoU 8/12 = 0.67
        var fused = ThermalFaceFusion.Fuse([[a], [b]], 0.5f);
        var f = Assert.Single(fused);
        Assert.Equal(10 + 2 * 0.4f / 1.2f, f.X, 3); // score-weighted mean of the left edges
        Assert.Equal(10, f.Width, 3);
        Assert.Equal(0.6f, f.Score, 3); // (0.8 + 0.4) / 2 views
    }

    [Fact]
    public void Fuse_DisjointBoxes_StaySeparateAndASingleViewBoxIsDamped()
    {
        var a = new ThermalFace(10, 10, 10, 10, 0.8f);
        var b = new ThermalFace(60, 40, 12, 12, 0.6f);
        var fused = ThermalFaceFusion.Fuse([[a], [b]], 0.5f).OrderBy(f => f.X).ToList();
        Assert.Equal(2, fused.Count);
        Assert.True(fused[0].IoU(a) > 0.999 && fused[1].IoU(b) > 0.999, $"{fused[0]}, {fused[1]}");
        Assert.Equal(0.4f, fused[0].Score, 4); // seen by one view of two
        Assert.Equal(0.3f, fused[1].Score, 4);
        Assert.Empty(ThermalFaceFusion.Fuse([], 0.5f));
    }

    [Fact]
    public void Mirrored_TwiceIsTheBox()
    {
        var a = new ThermalFace(10, 20, 6, 8, 0.5f);
        var m = ThermalFaceFusion.Mirrored(a, 160);
        Assert.Equal(144, m.X, 3);
        Assert.Equal(a.Width, m.Width);
        Assert.Equal(a, ThermalFaceFusion.Mirrored(m, 160));
    }

    [Fact]
    public void Open_MemberFileAltered_FailsNamingTheMember()
    {
        var dir = Path.Combine(Path.GetTempPath(), "vigil-irfusion-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            foreach (var f in Directory.GetFiles(Path.GetDirectoryName(ShippedCard)!)) File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
            var card = Path.Combine(dir, Path.GetFileName(ShippedCard));
            using (var ok = ThermalFaceDetector.Open(card)) Assert.Equal(3, ok.Models);
            var member = Path.Combine(dir, "ir-face-centernet-seed16.onnx");
            var bytes = File.ReadAllBytes(member);
            bytes[^10] ^= 0x5a;
            File.WriteAllBytes(member, bytes);
            var e = Assert.Throws<Vigil.Models.Cards.ModelCardException>(() => ThermalFaceDetector.Open(card));
            Assert.Contains("members[0].sha256", e.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Detect_ShippedCardWithFlip_MirroredImageGivesMirroredBoxes()
    {
        var dataset = ChipsDataset.Load(SharedData.Require("data/thermal-faces/chips"));
        using var detector = ThermalFaceDetector.Open(ShippedCard);
        Assert.True(detector.Passes.Flip);
        var compared = 0;
        foreach (var image in dataset.Part(ChipsPart.Validation).Where(i => i.Faces.Count > 0).Take(10))
        {
            using var bgr = ChipsDataset.ReadImage(image.Path);
            using var mirror = new Mat();
            Cv2.Flip(bgr, mirror, FlipMode.Y);
            var faces = detector.Detect(bgr).OrderBy(f => f.X).ToList();
            var back = detector.Detect(mirror).Select(f => ThermalFaceFusion.Mirrored(f, bgr.Width)).OrderBy(f => f.X).ToList();
            Assert.Equal(faces.Count, back.Count);
            for (var i = 0; i < faces.Count; i++)
            {
                Assert.True(faces[i].IoU(back[i]) > 0.95, $"{image.Path}: {faces[i]} vs mirrored {back[i]}");
                Assert.Equal(faces[i].Score, back[i].Score, 3);
                compared++;
            }
        }
        Assert.True(compared > 5, $"only {compared} faces compared");
    }
}
