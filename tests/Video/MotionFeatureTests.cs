using Vigil.Video.Backbone;
using Vigil.Video.Motion;
using Vigil.Video.Training;

namespace Vigil.Video.Tests;

/// <summary>
/// The motion option: feature layouts, the featurizer for each choice, and the mirror augmentation
/// (mirrored frames give the mirrored features with the horizontal optical flow negated).
/// </summary>
public sealed class MotionFeatureTests
{
    private const int Size = 16;

    // A grid whose attention rows all equal the heat map (as the CNN energy backbone builds them), so
    // mirroring the heat mirrors the whole map.
    private static readonly PatchGrid Grid = new(Size * Size, 0, Size, Size);

    [Theory]
    [InlineData("am-flow", MotionFeature.AmFlow, 2)]
    [InlineData("optical-flow", MotionFeature.OpticalFlow, 3)]
    [InlineData("both", MotionFeature.Both, 4)]
    public void Names_Layouts_RoundTrip(string name, MotionFeature motion, int blocks)
    {
        Assert.Equal(motion, MotionFeatures.Parse(name));
        Assert.Equal(name, MotionFeatures.Name(motion));
        Assert.Equal(blocks, MotionFeatures.Blocks(motion));
        Assert.Equal(blocks * 256, MotionFeatures.Dimension(motion, PatchGrid.VitTrack));
        Assert.Equal(blocks - 1, MotionFeatures.HeatBlock(motion));
        Assert.Null(MotionFeatures.Parse("optical_flow"));
    }

    [Fact]
    public void Mirror_OpticalFlowLayout_ReversesColumnsAndNegatesOnlyDx()
    {
        // 1×2 grid, optical-flow: dx (1, 2), dy (3, 4), heat (5, 6).
        float[] frame = [1, 2, 3, 4, 5, 6];
        Assert.Equal([-2f, -1f, 4f, 3f, 6f, 5f], MotionFeatures.Mirror(frame, MotionFeature.OpticalFlow, 1, 2));
        // both: AM flow (7, 8) first, then dx, dy, heat.
        float[] both = [7, 8, 1, 2, 3, 4, 5, 6];
        Assert.Equal([8f, 7f, -2f, -1f, 4f, 3f, 6f, 5f], MotionFeatures.Mirror(both, MotionFeature.Both, 1, 2));
        // am-flow: a pure permutation.
        Assert.Equal([8f, 7f, 6f, 5f], MotionFeatures.Mirror([7, 8, 5, 6], MotionFeature.AmFlow, 1, 2));
        var e = Assert.Throws<ArgumentException>(() => MotionFeatures.Mirror(new float[4], MotionFeature.OpticalFlow, 1, 2));
        Assert.Contains("optical-flow", e.Message);
    }

    [Theory]
    [InlineData(MotionFeature.OpticalFlow)]
    [InlineData(MotionFeature.Both)]
    public void Featurizer_MirroredFrames_GiveTheMirroredFeaturesWithNegatedHorizontalFlow(MotionFeature motion)
    {
        // A blob moving right by one patch per frame, and the same frames mirrored (moving left).
        var centres = new[] { 4f, 5f, 6f, 7f };
        var original = Run(motion, centres.Select(c => Blob(c, 7)).ToList());
        var mirrored = Run(motion, centres.Select(c => Blob(Size - 1 - c, 7)).ToList());
        var dxBlock = MotionFeatures.HorizontalFlowBlock(motion) * Grid.Patches;
        for (var t = 0; t < centres.Length; t++)
        {
            var expected = MotionFeatures.Mirror(original[t].Values, motion, Size, Size);
            for (var k = 0; k < expected.Length; k++)
                Assert.True(MathF.Abs(expected[k] - mirrored[t].Values[k]) < 1e-3f, $"frame {t} value {k}: mirror of the original {expected[k]}, features of the mirrored frames {mirrored[t].Values[k]}");
        }
        // And the flow really is there: to the right at the blob in the original, to the left mirrored.
        var at = 7 * Size + 6;
        Assert.InRange(original[2].Values[dxBlock + at], 0.4f, 1.6f);
        Assert.InRange(mirrored[2].Values[dxBlock + 7 * Size + (Size - 1 - 6)], -1.6f, -0.4f);
    }

    [Fact]
    public void Featurizer_OpticalFlow_FirstFrameHasNoMotionAndHeatIsLast()
    {
        var features = Run(MotionFeature.OpticalFlow, [Blob(4, 4), Blob(5, 4)]);
        Assert.Equal(3 * Grid.Patches, features[0].Values.Length);
        Assert.All(features[0].Values.Take(2 * Grid.Patches), v => Assert.Equal(0f, v));
        var heat = Blob(5, 4);
        var sum = heat.Sum();
        for (var k = 0; k < Grid.Patches; k++) Assert.Equal(heat[k] / sum * Grid.Patches, features[1].Values[2 * Grid.Patches + k], 4);
    }

    [Fact]
    public void Featurizer_Both_HoldsExactlyTheAmFlowAndOpticalFlowFeatures()
    {
        var frames = new List<float[]> { Blob(4, 4), Blob(5, 5), Blob(6, 5) };
        var both = Run(MotionFeature.Both, frames);
        var am = Run(MotionFeature.AmFlow, frames);
        var of = Run(MotionFeature.OpticalFlow, frames);
        var p = Grid.Patches;
        for (var t = 0; t < frames.Count; t++)
        {
            Assert.Equal(am[t].Values[..p], both[t].Values[..p]);
            Assert.Equal(of[t].Values, both[t].Values[p..]);
        }
    }

    [Fact]
    public void Train_FeaturesNotInTheMotionLayout_AreRefusedForTheMirror()
    {
        // 2 blocks of a 2×2 grid is am-flow's layout, not optical-flow's 3 blocks.
        var clip = (Enumerable.Range(0, 20).Select(_ => new float[8]).ToArray(), (IReadOnlyList<Segments.ActionSegment>)[new Segments.ActionSegment("a", 0, 1)]);
        var o = new AdapterTrainingOptions { Motion = MotionFeature.OpticalFlow, MirrorGridColumns = 2, MirrorGridCells = 4, Labels = ["a"], WindowFrames = 4 };
        var e = Assert.Throws<ArgumentException>(() => AdapterTrainer.Train([clip], o, "x", ""));
        Assert.Contains("optical-flow", e.Message);
    }

    [Fact]
    public void AdapterConfig_Motion_IsWrittenReadAndDefaultsToAmFlow()
    {
        var config = new AdapterConfig { Kind = AdapterKind.Tcn, WindowFrames = 4, FeatureDimension = 6, Motion = MotionFeature.OpticalFlow, Hidden = 8, Labels = ["a"], Mean = new float[6], Std = new float[6] };
        var json = config.ToJson();
        Assert.Contains("\"motion\":\"optical-flow\"", json);
        Assert.Equal(MotionFeature.OpticalFlow, AdapterConfig.Parse(json, "x.adapter.json").Motion);
        // A config written before the option existed reads as am-flow.
        Assert.Equal(MotionFeature.AmFlow, AdapterConfig.Parse(json.Replace(",\"motion\":\"optical-flow\"", ""), "x.adapter.json").Motion);
        var unknown = Assert.Throws<InvalidDataException>(() => AdapterConfig.Parse(json.Replace("optical-flow", "optic"), "x.adapter.json"));
        Assert.StartsWith("x.adapter.json: malformed adapter config", unknown.Message);
        // 6 values cannot be the 4 blocks of "both".
        var layout = Assert.Throws<InvalidDataException>(() => AdapterConfig.Parse(json.Replace("optical-flow", "both"), "x.adapter.json"));
        Assert.Contains("4 per-patch blocks", layout.Message);
    }

    private static List<FrameFeatures> Run(MotionFeature motion, IReadOnlyList<float[]> heats)
    {
        var featurizer = new MotionFeaturizer(Grid, motion);
        return heats.Select((h, i) => featurizer.Next(Attention(i, h))).ToList();
    }

    // A frame whose heat is the normalised map and whose every attention row equals it.
    private static FrameAttention Attention(int index, float[] map)
    {
        var sum = map.Sum();
        var heat = map.Select(v => v / sum).ToArray();
        var attention = new float[Grid.Tokens * Grid.Tokens];
        for (var q = 0; q < Grid.Tokens; q++) heat.CopyTo(attention.AsSpan(q * Grid.Tokens, Grid.Tokens));
        return new FrameAttention(index, TimeSpan.FromSeconds(index / 8.0), attention, heat);
    }

    private static float[] Blob(float cx, float cy)
    {
        var m = new float[Size * Size];
        for (var r = 0; r < Size; r++)
            for (var c = 0; c < Size; c++)
                m[r * Size + c] = 0.01f + MathF.Exp(-((c - cx) * (c - cx) + (r - cy) * (r - cy)) / 4f);
        return m;
    }
}
