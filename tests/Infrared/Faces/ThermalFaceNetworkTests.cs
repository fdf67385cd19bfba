using Vigil.Infrared.Faces;
using Vigil.Infrared.Training.Faces;

namespace Vigil.Infrared.Tests.Faces;

public sealed class ThermalFaceNetworkTests
{
    [Fact]
    public void Decode_TargetsWrittenAsAMap_GiveBackTheLabelledBox()
    {
        var face = new ThermalFace(37.5f, 22f, 13f, 17f, 1);
        var t = ThermalFaceTargets.Of([face], 160, 120);
        int rows = 30, cols = 40, plane = rows * cols;
        var map = new float[5 * plane];
        for (var i = 0; i < plane; i++) map[i] = t.Mask[i] > 0 ? 10 : -10;
        Array.Copy(t.Box, 0, map, plane, 4 * plane);
        var decoded = ThermalFaceNetwork.Decode(map, rows, cols, 0.5f);
        var only = Assert.Single(decoded);
        Assert.True(only.IoU(face) > 0.99f, $"decoded {only}, labelled {face}");
        Assert.Equal(1, t.Heat.Max());
        Assert.Equal(1, t.Mask.Sum());
    }

    [Fact]
    public void Suppress_OverlappingBoxes_KeepsTheBest()
    {
        var kept = ThermalFace.Suppress([new(0, 0, 10, 10, 0.5f), new(1, 1, 10, 10, 0.9f), new(50, 50, 10, 10, 0.4f)], 0.3f);
        Assert.Equal(2, kept.Count);
        Assert.Equal(0.9f, kept[0].Score);
    }

    [Fact]
    public void Row_Face_IsImageXYWidthHeightScore()
    {
        Assert.Equal("a_1.jpeg,10.5,20,30,40.2,0.9", ThermalFaceCsv.Row("a_1.jpeg", new ThermalFace(10.5f, 20f, 30f, 40.2f, 0.9f)));
    }
}
