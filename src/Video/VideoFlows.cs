using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using Vigil.Video.Backbone;
using Vigil.Video.Motion;
using Vigil.Video.Sources;

namespace Vigil.Video;

/// <summary>
/// The video graph's stages as Akka.Streams flows: frames → backbone attention (frozen ViT, ORT)
/// → AM-flow features. Each materialization has its own featurizer state, so one flow definition
/// serves many cameras.
/// </summary>
public static class VideoFlows
{
    /// <summary>
    /// Frames → attention maps: the backbone runs on up to <paramref name="parallelism"/> frames at
    /// once on the thread pool, results in frame order; each frame's pixels are released after its run.
    /// </summary>
    public static Flow<SampledFrame, FrameAttention, NotUsed> Attention(IFrameBackbone backbone, int parallelism = 1) =>
        Flow.Create<SampledFrame>().SelectAsync(parallelism, frame => Task.Run(() =>
        {
            using (frame) return backbone.Run(frame.Image, frame.Index, frame.Position);
        }));

    /// <summary>Attention maps → per-frame AM-flow features on <paramref name="grid"/> (state per materialization).</summary>
    public static Flow<FrameAttention, FrameFeatures, NotUsed> Features(PatchGrid grid) =>
        Flow.Create<FrameAttention>().StatefulSelectMany<FrameAttention, FrameAttention, FrameFeatures, NotUsed>(() =>
        {
            var featurizer = new AmFlowFeaturizer(grid);
            return attention => [featurizer.Next(attention)];
        });

    /// <summary>
    /// Features → adapter scores inside the stream: windows of the adapter's length every
    /// <paramref name="stride"/> frames, each scored; emits (first frame index, per-frame probabilities) per window.
    /// </summary>
    public static Flow<FrameFeatures, (int Start, float[][] Scores), NotUsed> Scores(Segments.IActionAdapter adapter, int stride) =>
        Flow.Create<FrameFeatures>()
            .Sliding(adapter.WindowFrames, stride)
            .Select(window => (window.First().Index, adapter.Score(window.Select(f => f.Values).ToList())));

    /// <summary>Every sampled frame's features of the video at <paramref name="path"/>, in order.</summary>
    public static async Task<IReadOnlyList<FrameFeatures>> ExtractAsync(string path, double framesPerSecond, IFrameBackbone backbone, IMaterializer materializer, CancellationToken cancellation = default)
    {
        var result = await VideoSources.File(path, framesPerSecond)
            .Via(Attention(backbone))
            .Via(Features(backbone.Spec.Grid))
            .RunWith(Sink.Seq<FrameFeatures>(), materializer)
            .WaitAsync(cancellation);
        return result;
    }
}
