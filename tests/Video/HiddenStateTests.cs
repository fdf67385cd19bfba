using OpenCvSharp;
using Vigil.Models.Onnx;
using Vigil.Video.Backbone;
using Vigil.Video.Motion;
using Vigil.Video.Tests.Fixtures;
using Vigil.Video.Training;

namespace Vigil.Video.Tests;

/// <summary>
/// The hidden-state option: pooling a backbone's hidden tensor over the patch tokens and channel
/// groups, its block in the feature layout (after the per-patch blocks, untouched by the mirror),
/// the adapter config field, the cache key, and the DINOv2-shaped ViT's <c>last_hidden_state</c>.
/// </summary>
public sealed class HiddenStateTests
{
    [Fact]
    public void Names_RoundTrip_AndSizeIsAtMost32()
    {
        Assert.Equal(HiddenStates.Pooled, HiddenStateFeatures.Parse("pooled"));
        Assert.Equal(HiddenStates.None, HiddenStateFeatures.Parse("none"));
        Assert.Null(HiddenStateFeatures.Parse("mean"));
        Assert.Equal("pooled", HiddenStateFeatures.Name(HiddenStates.Pooled));
        Assert.Equal(32, HiddenStateFeatures.Values(48));
        Assert.Equal(8, HiddenStateFeatures.Values(8));
        Assert.Equal(0, HiddenStateFeatures.Values(HiddenStates.None, 48));
        Assert.Equal(32, BackboneSpec.VitTrack.HiddenValues);
        Assert.Equal(32, BackboneSpec.ResNet18.HiddenValues);
        Assert.Equal("480", BackboneSpec.VitTrack.HiddenState);
    }

    [Fact]
    public void PoolTokens_AveragesThePatchTokensOnly()
    {
        // 5 tokens × 4 channels; tokens 0-1 (class, register) hold 1000s and must not count.
        float[] tokens =
        [
            1000, 1000, 1000, 1000,
            1000, 1000, 1000, 1000,
            1, 2, 3, 4,
            3, 4, 5, 6,
            5, 0, 1, 2,
        ];
        Assert.Equal([3f, 2f, 3f, 4f], HiddenStateFeatures.PoolTokens(tokens, 4, 2, 3, "x"));
    }

    [Fact]
    public void PoolTokens_48Channels_32GroupsOfOneOrTwo()
    {
        // One token whose channel c holds c: groups alternate {c} and {c+1, c+2}, so group g averages to 1.5·g.
        var token = Enumerable.Range(0, 48).Select(c => (float)c).ToArray();
        var pooled = HiddenStateFeatures.PoolTokens(token, 48, 0, 1, "x");
        Assert.Equal(32, pooled.Length);
        for (var g = 0; g < 32; g++) Assert.Equal(1.5 * g, pooled[g], 1e-5);
    }

    [Fact]
    public void PoolLocations_AveragesEachChannelOverTheMap()
    {
        Assert.Equal([2f, 5f], HiddenStateFeatures.PoolLocations([1, 2, 3, 4, 5, 6], 2, "x"));
    }

    [Fact]
    public void Pool_WrongShapeOrNaN_OneMessageNamingTheTensor()
    {
        var shape = Assert.Throws<InvalidDataException>(() => HiddenStateFeatures.PoolTokens(new float[10], 4, 0, 2, "vittrack '480'"));
        Assert.StartsWith("vittrack '480': hidden state has 10 values", shape.Message);
        var nan = Assert.Throws<InvalidDataException>(() => HiddenStateFeatures.PoolLocations([1, float.NaN], 2, "resnet"));
        Assert.Equal("resnet: hidden state holds NaN or infinity", nan.Message);
    }

    [Fact]
    public void Mirror_PooledBlock_IsLeftUnchanged()
    {
        // am-flow on a 1×2 grid (AM flow 7,8; heat 5,6), then 3 pooled values.
        Assert.Equal([8f, 7f, 6f, 5f, 1f, 2f, 3f], MotionFeatures.Mirror([7, 8, 5, 6, 1, 2, 3], MotionFeature.AmFlow, 1, 2, trailing: 3));
        // optical-flow: dx negated and reversed, the pooled block as it was.
        Assert.Equal([-2f, -1f, 4f, 3f, 6f, 5f, 9f], MotionFeatures.Mirror([1, 2, 3, 4, 5, 6, 9], MotionFeature.OpticalFlow, 1, 2, trailing: 1));
        Assert.Throws<ArgumentException>(() => MotionFeatures.Mirror(new float[7], MotionFeature.AmFlow, 1, 2, trailing: 2));
    }

    [Fact]
    public void Featurizer_Pooled_AppendsTheFrameHiddenAfterTheHeat_AndRefusesAFrameWithout()
    {
        var grid = new PatchGrid(4, 0, 2, 2);
        var featurizer = new MotionFeaturizer(grid, MotionFeature.AmFlow, hiddenValues: 3);
        Assert.Equal(2 * 4 + 3, featurizer.Dimension);
        var heat = new[] { 0.25f, 0.25f, 0.25f, 0.25f };
        var attention = Enumerable.Repeat(0.25f, 16).ToArray();
        var f = featurizer.Next(new FrameAttention(0, TimeSpan.Zero, attention, heat) { Hidden = [7, 8, 9] });
        Assert.Equal([0f, 0f, 0f, 0f, 1f, 1f, 1f, 1f, 7f, 8f, 9f], f.Values);
        var e = Assert.Throws<InvalidDataException>(() => featurizer.Next(new FrameAttention(1, TimeSpan.Zero, attention, heat)));
        Assert.Contains("0 pooled hidden-state values, the features need 3", e.Message);
    }

    [Fact]
    public void Train_PooledBlockAfterTheGrids_TrainsAndIsRecorded_WithoutTheOptionItIsRefused()
    {
        // 2 blocks of a 2×2 grid + 3 pooled values.
        var rng = new Random(3);
        var features = Enumerable.Range(0, 24).Select(_ => Enumerable.Range(0, 11).Select(_ => (float)rng.NextDouble()).ToArray()).ToArray();
        var clip = (features, (IReadOnlyList<Segments.ActionSegment>)[new Segments.ActionSegment("a", 0, 1)]);
        var o = new AdapterTrainingOptions { HiddenStates = HiddenStates.Pooled, MirrorGridColumns = 2, MirrorGridCells = 4, Labels = ["a"], WindowFrames = 4, Epochs = 1, Hidden = 4 };
        var (adapter, _) = AdapterTrainer.Train([clip], o, "x", "");
        using (adapter) Assert.Equal(HiddenStates.Pooled, adapter.HiddenStates);
        var e = Assert.Throws<ArgumentException>(() => AdapterTrainer.Train([clip], new AdapterTrainingOptions { MirrorGridColumns = 2, MirrorGridCells = 4, Labels = ["a"], WindowFrames = 4 }, "x", ""));
        Assert.Contains("11 features per frame", e.Message);
    }

    [Fact]
    public void AdapterConfig_HiddenStates_IsWrittenReadAndDefaultsToNone()
    {
        var config = new AdapterConfig { Kind = AdapterKind.Tcn, WindowFrames = 4, FeatureDimension = 8 + 32, HiddenStates = HiddenStates.Pooled, Hidden = 8, Labels = ["a"], Mean = new float[40], Std = new float[40] };
        var json = config.ToJson();
        Assert.Contains("\"hidden_states\":\"pooled\"", json);
        Assert.Contains("\"hidden\":8", json);
        Assert.Equal(HiddenStates.Pooled, AdapterConfig.Parse(json, "x.adapter.json").HiddenStates);
        // A config written before the option existed reads as none.
        var old = new AdapterConfig { Kind = AdapterKind.Tcn, WindowFrames = 4, FeatureDimension = 8, Hidden = 8, Labels = ["a"], Mean = new float[8], Std = new float[8] }.ToJson()
            .Replace(",\"hidden_states\":\"none\"", "");
        Assert.DoesNotContain("hidden_states", old);
        Assert.Equal(HiddenStates.None, AdapterConfig.Parse(old, "x.adapter.json").HiddenStates);
        var unknown = Assert.Throws<InvalidDataException>(() => AdapterConfig.Parse(json.Replace("\"pooled\"", "\"mean\""), "x.adapter.json"));
        Assert.StartsWith("x.adapter.json: malformed adapter config", unknown.Message);
    }

    [Fact]
    public void CacheKey_NamesThePooledChoice_AndKeepsTheOldNameWithout()
    {
        var sha = new string('a', 64);
        Assert.EndsWith("-8-am-flow.features", FeatureCache.Key(sha, sha, 8, MotionFeature.AmFlow));
        Assert.EndsWith("-8-am-flow-pooled.features", FeatureCache.Key(sha, sha, 8, MotionFeature.AmFlow, HiddenStates.Pooled));
        Assert.EndsWith("-8-both-pooled.features", FeatureCache.Key(sha, sha, 8, MotionFeature.Both, HiddenStates.Pooled));
    }

    [Fact]
    public void DinoShapedVit_PooledHidden_IsTheMeanOfLastHiddenStateOverThePatchTokens()
    {
        var dir = Directory.CreateTempSubdirectory("vigil-dino-hidden-").FullName;
        try
        {
            var model = Path.Combine(dir, "dinov2-shaped.onnx");
            File.WriteAllBytes(model, DinoShapedVit.Build());
            var spec = BackboneSpec.ClassTokenVit("dinov2-shaped", "pixel_values", DinoShapedVit.Size, DinoShapedVit.Patch, DinoShapedVit.Registers, hiddenWidth: DinoShapedVit.Dim);
            using var backbone = VitBackbone.Load(model, spec, Path.Combine(dir, "cache"));
            using var frame = new Mat(DinoShapedVit.Size, DinoShapedVit.Size, MatType.CV_8UC3, Scalar.All(0));
            frame[new Rect(8, 16, 24, 8)].SetTo(new Scalar(255, 128, 30));
            var hidden = backbone.Run(frame, 0, TimeSpan.Zero).Hidden;

            // By hand: the plain export's last_hidden_state, averaged over tokens 5..68 (after the class token and 4 registers).
            using var plain = OnnxSession.Load(File.ReadAllBytes(model), "plain");
            using var result = plain.Run([new NamedTensor("pixel_values", spec.Preprocess(frame, DinoShapedVit.Size))], ["last_hidden_state"]);
            var all = result.Get<float>("last_hidden_state").ToArray();
            Assert.Equal(DinoShapedVit.Dim, hidden.Length);
            for (var c = 0; c < DinoShapedVit.Dim; c++)
            {
                double sum = 0;
                for (var t = DinoShapedVit.Prefix; t < DinoShapedVit.Tokens; t++) sum += all[t * DinoShapedVit.Dim + c];
                Assert.Equal(sum / (DinoShapedVit.Tokens - DinoShapedVit.Prefix), hidden[c], 1e-5);
            }
            Assert.True(hidden.Distinct().Count() > 1, "the pooled hidden state is constant");
            // Without a hidden-state tensor, frames carry none.
            using var noHidden = VitBackbone.Load(model, spec with { HiddenState = null, HiddenWidth = 0 }, Path.Combine(dir, "cache"));
            Assert.Empty(noHidden.Run(frame, 0, TimeSpan.Zero).Hidden);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
