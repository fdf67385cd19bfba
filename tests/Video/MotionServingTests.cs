using Akka.Streams;
using Akka.Streams.Dsl;
using Vigil.Tests.Common;
using Vigil.Video.Backbone;
using Vigil.Video.Motion;
using Vigil.Video.Reporting;
using Vigil.Video.Sources;
using Vigil.Video.Synthetic;
using Vigil.Video.Training;

namespace Vigil.Video.Tests;

/// <summary>
/// The motion option end to end on VitTrack: <c>vigil video train</c>'s path with optical flow
/// writes a card naming it, caches features per choice, and the served stream (and <c>vigil video
/// run</c>'s analysis) computes exactly the features training computed for the same clip.
/// </summary>
public sealed class MotionServingTests() : Akka.TestKit.Xunit2.TestKit(AkkaTestConfig.Quiet)
{
    [Fact]
    public async Task TrainWithOpticalFlow_ServedStreamComputesTheTrainingFeatures()
    {
        var dir = Directory.CreateTempSubdirectory("vigil-video-motion-").FullName;
        try { await TrainAndServe(dir); }
        finally { Directory.Delete(dir, recursive: true); }
    }

    private async Task TrainAndServe(string dir)
    {
        var (backbonePath, clip, cache, card) = await TrainTinyTcnAsync(dir, "tiny-of", 7, MotionFeature.OpticalFlow, HiddenStates.None);

        using var adapter = TorchActionAdapter.Load(card);
        Assert.Equal(MotionFeature.OpticalFlow, adapter.Motion);
        Assert.Equal(3 * 256, adapter.FeatureDimension);
        Assert.Contains("optical-flow", adapter.Card!.Description);
        Assert.Contains("\"motion\":\"optical-flow\"", File.ReadAllText(Path.Combine(dir, "card", "tiny-of.adapter.json")));

        using var backbone = Backbones.Load(backbonePath, cache);
        var m = Sys.Materializer();
        // What training read: the cache file it wrote for this clip (a hit now: the stored values).
        var cachedFiles = Directory.GetFiles(cache, "*.features");
        Assert.Equal(2, cachedFiles.Length);
        Assert.All(cachedFiles, f => Assert.EndsWith("-optical-flow.features", f));
        var trained = await FeatureCache.GetOrComputeAsync(clip, adapter.Config.FramesPerSecond, backbone, cache, m, motion: MotionFeature.OpticalFlow);
        Assert.Equal(2, Directory.GetFiles(cache, "*.features").Length);

        var served = await ServedEqualsTrainedAsync(clip, backbone, adapter, trained, m);
        // Motion is really there: some frame after the first has optical flow.
        Assert.Contains(served.Skip(1), f => f.Values.Take(512).Any(v => MathF.Abs(v) > 0.05f));

        // vigil video run's analysis reads the card's choice too: segments are reported (not withheld) and the optical-flow strip is written.
        var report = await VideoAnalysis.RunAsync(clip, backbone, adapter, null, adapter.Config.FramesPerSecond, Path.Combine(dir, "run"), m);
        Assert.Null(report.WithheldReason);
        Assert.Contains(report.Files, f => f.EndsWith("opticalflow.png", StringComparison.Ordinal));
        Assert.DoesNotContain(report.Files, f => f.EndsWith("amflow.png", StringComparison.Ordinal));
        Assert.Contains("\"motion\": \"optical-flow\"", File.ReadAllText(Path.Combine(dir, "run", "events.json")));

        // The same clip's AM-flow features are a separate cache entry of another size, never the optical-flow file.
        var am = await FeatureCache.GetOrComputeAsync(clip, adapter.Config.FramesPerSecond, backbone, cache, m);
        Assert.Equal(512, am[0].Length);
        Assert.Equal(3, Directory.GetFiles(cache, "*.features").Length);
        // Both read the same backbone run: the heat block (last) is identical.
        for (var i = 0; i < am.Length; i++) Assert.Equal(am[i][256..], trained[i][512..]);
    }

    [Fact]
    public async Task TrainWithPooledHiddenStates_ServedStreamComputesTheTrainingFeatures()
    {
        var dir = Directory.CreateTempSubdirectory("vigil-video-hidden-").FullName;
        try
        {
            var (backbonePath, clip, cache, card) = await TrainTinyTcnAsync(dir, "tiny-hidden", 11, MotionFeature.AmFlow, HiddenStates.Pooled);

            using var adapter = TorchActionAdapter.Load(card);
            Assert.Equal(HiddenStates.Pooled, adapter.HiddenStates);
            Assert.Equal(MotionFeature.AmFlow, adapter.Motion);
            // AM flow and heat (2 × 256), then VitTrack's final LayerNorm output pooled to 32 values.
            Assert.Equal(2 * 256 + 32, adapter.FeatureDimension);
            Assert.Contains("pooled hidden states", adapter.Card!.Description);
            Assert.Contains("\"hidden_states\":\"pooled\"", File.ReadAllText(Path.Combine(dir, "card", "tiny-hidden.adapter.json")));

            using var backbone = Backbones.Load(backbonePath, cache);
            var m = Sys.Materializer();
            var cachedFiles = Directory.GetFiles(cache, "*.features");
            Assert.Equal(2, cachedFiles.Length);
            Assert.All(cachedFiles, f => Assert.EndsWith("-am-flow-pooled.features", f));
            var trained = await FeatureCache.GetOrComputeAsync(clip, adapter.Config.FramesPerSecond, backbone, cache, m, hidden: HiddenStates.Pooled);
            Assert.Equal(2, Directory.GetFiles(cache, "*.features").Length);

            var served = await ServedEqualsTrainedAsync(clip, backbone, adapter, trained, m);
            // The pooled block is real: finite, not constant within a frame, and it changes between frames.
            Assert.All(served, f => Assert.True(f.Values[512..].All(float.IsFinite) && f.Values[512..].Distinct().Count() > 1));
            Assert.Contains(served.Skip(1), f => !f.Values[512..].SequenceEqual(served[0].Values[512..]));

            // vigil video run's analysis reads the choice too: segments reported, not withheld.
            var report = await VideoAnalysis.RunAsync(clip, backbone, adapter, null, adapter.Config.FramesPerSecond, Path.Combine(dir, "run"), m);
            Assert.Null(report.WithheldReason);
            Assert.Contains("\"hidden_states\": \"pooled\"", File.ReadAllText(Path.Combine(dir, "run", "events.json")));

            // The same clip without the hidden states: another cache file, whose values are the pooled file's first 512.
            var am = await FeatureCache.GetOrComputeAsync(clip, adapter.Config.FramesPerSecond, backbone, cache, m);
            Assert.Equal(3, Directory.GetFiles(cache, "*.features").Length);
            for (var i = 0; i < am.Length; i++) Assert.Equal(am[i], trained[i][..512]);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void AdapterFeatures_AdapterOfAnotherLayout_IsRefusedNamingBoth()
    {
        var dir = Directory.CreateTempSubdirectory("vigil-video-motion-").FullName;
        try
        {
            using var backbone = VitBackbone.Load(SharedData.Require("assets/models/vittrack_2023sep.onnx"), BackboneSpec.VitTrack, dir);
            var e = Assert.Throws<ArgumentException>(() => VideoFlows.AdapterFeatures(backbone, new LayoutOnly(512, MotionFeature.OpticalFlow)));
            Assert.Contains("512", e.Message);
            Assert.Contains("768", e.Message);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    // Two generated clips (seed), a one-epoch TCN on them with the given motion and hidden states; returns the backbone,
    // the first clip, the feature cache training filled and the card (in dir/card/{name}.card.json).
    private static async Task<(string Backbone, string Clip, string Cache, string Card)> TrainTinyTcnAsync(string dir, string name, int seed, MotionFeature motion, HiddenStates hidden)
    {
        var backbonePath = SharedData.Require("assets/models/vittrack_2023sep.onnx");
        var clips = Path.Combine(dir, "clips");
        var written = ClipSet.Write(clips, 2, seed, new ClipGenerator { Frames = 40 });
        var cache = Path.Combine(dir, "cache");
        var card = Path.Combine(dir, "card", name + ".card.json");
        await VideoTraining.TrainAsync(new VideoTrainOptions
        {
            Clips = clips, Labels = Path.Combine(clips, "labels.csv"), OutCard = card, Backbone = backbonePath, Cache = cache,
            Training = new AdapterTrainingOptions { Kind = AdapterKind.Tcn, Motion = motion, HiddenStates = hidden, Epochs = 1, Hidden = 8, Labels = [.. ActionLabels.All] },
        }, TextWriter.Null);
        return (backbonePath, written[0].Path, cache, card);
    }

    // What the served stream computes from the card alone, asserted equal to what training read for the clip.
    private static async Task<IReadOnlyList<FrameFeatures>> ServedEqualsTrainedAsync(string clip, IFrameBackbone backbone, TorchActionAdapter adapter, float[][] trained, IMaterializer m)
    {
        var served = await VideoSources.File(clip, adapter.Config.FramesPerSecond).Via(VideoFlows.AdapterFeatures(backbone, adapter))
            .RunWith(Sink.Seq<FrameFeatures>(), m).WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(trained.Length, served.Count);
        for (var i = 0; i < trained.Length; i++) Assert.Equal(trained[i], served[i].Values);
        return served;
    }

    // Declares a layout only; never scores (the flow is refused before any frame).
    private sealed class LayoutOnly(int dimension, MotionFeature motion) : Segments.IActionAdapter
    {
        public IReadOnlyList<string> Labels { get; } = ["x"];
        public int WindowFrames => 4;
        public int FeatureDimension => dimension;
        public MotionFeature Motion => motion;
        public float[][] Score(IReadOnlyList<float[]> window) => throw new InvalidOperationException("not scored");
    }
}
