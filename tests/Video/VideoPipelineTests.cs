using Akka.Streams;
using Akka.Streams.Dsl;
using OpenCvSharp;
using Vigil.Tests.Common;
using Vigil.Video.Backbone;
using Vigil.Video.Motion;
using Vigil.Video.Sources;

namespace Vigil.Video.Tests;

/// <summary>
/// The video graph is a pipeline: the source decodes ahead of the backbone (so decoding and
/// inference overlap on different cores), but only a few frames ahead (frames are large, and a
/// file source must stay backpressured).
/// </summary>
public sealed class VideoPipelineTests() : Akka.TestKit.Xunit2.TestKit(AkkaTestConfig.VirtualTime)
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Attention_WhileTheBackboneIsBusy_SourceReadsAheadByAFewFramesOnly()
    {
        using var backbone = new GatedBackbone();
        var produced = 0;
        var frames = Source.From(Enumerable.Range(0, 50)).Select(i =>
        {
            Interlocked.Increment(ref produced);
            return new SampledFrame("test", i, i, TimeSpan.FromMilliseconds(125 * i), new Mat(8, 8, MatType.CV_8UC3, Scalar.All(i)));
        });
        var done = frames.Via(VideoFlows.Attention(backbone)).RunWith(Sink.Seq<FrameAttention>(), Sys.Materializer());

        // The backbone holds frame 0; the source must have gone on to decode the next frames.
        Assert.True(backbone.Started.Wait(Safety), "the backbone never received a frame");
        AwaitCondition(() => Volatile.Read(ref produced) >= 3, Safety);
        // ...but not the whole file: at most the frame in the backbone, the stage's input buffer and
        // the frame handed across the island boundary.
        var ahead = Volatile.Read(ref produced);
        Assert.InRange(ahead, 3, 2 + VideoFlows.StageBuffer);

        backbone.Release.Set();
        var result = await done.WaitAsync(Safety);
        Assert.Equal(Enumerable.Range(0, 50), result.Select(a => a.Index));
    }

    [Fact]
    public async Task Features_RunInTheirOwnStage_ResultsInFrameOrder()
    {
        using var backbone = new GatedBackbone();
        backbone.Release.Set();
        var frames = Source.From(Enumerable.Range(0, 20))
            .Select(i => new SampledFrame("test", i, i, TimeSpan.FromMilliseconds(125 * i), new Mat(8, 8, MatType.CV_8UC3, Scalar.All(i))));
        var features = await frames.Via(VideoFlows.Attention(backbone)).Via(VideoFlows.Features(backbone.Spec.Grid))
            .RunWith(Sink.Seq<FrameFeatures>(), Sys.Materializer()).WaitAsync(Safety);
        Assert.Equal(Enumerable.Range(0, 20), features.Select(f => f.Index));
    }

    /// <summary>A backbone on a 2×2 grid that blocks until released; its heat is the frame index.</summary>
    private sealed class GatedBackbone : IFrameBackbone
    {
        public ManualResetEventSlim Started { get; } = new();

        public ManualResetEventSlim Release { get; } = new();

        public TappedModel Model { get; } = new("gated.onnx", new string('0', 64), "gated.onnx", ["attention"], false);

        public BackboneSpec Spec { get; } = BackboneSpec.ClassTokenVit("gated", "image", 32, 16);

        public FrameAttention Run(Mat bgr, int index, TimeSpan position)
        {
            Started.Set();
            if (!Release.Wait(Safety)) throw new TimeoutException("gate never released");
            var tokens = Spec.Grid.Tokens;
            var attention = Enumerable.Repeat(1f / tokens, tokens * tokens).ToArray();
            var heat = new float[Spec.Grid.Patches];
            Spec.Grid.ReceivedAttention(attention, heat);
            return new FrameAttention(index, position, attention, heat);
        }

        public void Dispose()
        {
            Started.Dispose();
            Release.Dispose();
        }
    }
}
