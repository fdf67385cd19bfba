using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using Vigil.Video.Backbone;
using Vigil.Video.Motion;
using Vigil.Video.Sources;

namespace Vigil.Video;

/// <summary>
/// The video graph's stages as Akka.Streams flows: frames → backbone attention (frozen ViT, ORT)
/// → per-frame features (AM flow and/or the heat maps' optical flow, and the heat map). Each materialization has its own featurizer state, so one flow definition
/// serves many cameras.
/// </summary>
/// <remarks>
/// Each heavy stage is its own asynchronous island (Akka.Streams <c>Async()</c>), so one camera's
/// graph is a pipeline over the cores: while the backbone runs frame n, the source decodes frame
/// n + 1 and the features of frame n − 1 are computed, instead of each waiting for the others. The
/// islands' input buffers are small (<see cref="StageBuffer"/> frames), so a file source still reads
/// only a few frames ahead of the backbone.
/// </remarks>
public static class VideoFlows
{
    /// <summary>
    /// Frames → attention maps: the backbone runs on up to <paramref name="parallelism"/> frames at
    /// once on the thread pool, results in frame order; each frame's pixels are released after its run.
    /// </summary>
    public static Flow<SampledFrame, FrameAttention, NotUsed> Attention(IFrameBackbone backbone, int parallelism = 1) =>
        Island(Flow.Create<SampledFrame>().SelectAsync(parallelism, frame => Task.Run(() =>
        {
            using (frame) return backbone.Run(frame.Image, frame.Index, frame.Position);
        })));

    /// <summary>How many elements each stage's island buffers from upstream (decoded frames waiting for the backbone, at most).</summary>
    public const int StageBuffer = 4;

    // A stage as its own island, with a small input buffer (frames are large).
    private static Flow<TIn, TOut, NotUsed> Island<TIn, TOut>(Flow<TIn, TOut, NotUsed> stage) =>
        stage.AddAttributes(Attributes.CreateInputBuffer(1, StageBuffer)).Async();

    /// <summary>
    /// Attention maps → per-frame features on <paramref name="grid"/> with the motion signal
    /// <paramref name="motion"/> (AM flow by default; state per materialization). An adapter's stream
    /// passes its own choice (<see cref="Segments.IActionAdapter.Motion"/>), so it reads what it was trained on.
    /// </summary>
    /// <param name="grid">The backbone's patch grid.</param>
    /// <param name="motion">The motion signal.</param>
    /// <param name="hiddenValues">Pooled hidden-state values appended per frame (the backbone's
    /// <see cref="BackboneSpec.HiddenValues"/> for <c>--hidden-states pooled</c>; 0: none).</param>
    public static Flow<FrameAttention, FrameFeatures, NotUsed> Features(PatchGrid grid, MotionFeature motion = MotionFeature.AmFlow, int hiddenValues = 0) =>
        Island(Flow.Create<FrameAttention>().StatefulSelectMany<FrameAttention, FrameAttention, FrameFeatures, NotUsed>(() =>
        {
            var featurizer = new MotionFeaturizer(grid, motion, hiddenValues);
            return attention => [featurizer.Next(attention)];
        }));

    /// <summary>
    /// Frames → the features <paramref name="adapter"/> was trained on: the backbone's attention, then
    /// the motion signal the adapter's config names (<see cref="Segments.IActionAdapter.Motion"/>) and,
    /// when it names them, the pooled hidden states (<see cref="Segments.IActionAdapter.HiddenStates"/>), so a
    /// served adapter computes exactly what its training computed.
    /// </summary>
    /// <exception cref="ArgumentException">The adapter expects another number of values per frame than this backbone's grid gives.</exception>
    public static Flow<SampledFrame, FrameFeatures, NotUsed> AdapterFeatures(IFrameBackbone backbone, Segments.IActionAdapter adapter, int parallelism = 1)
    {
        var grid = backbone.Spec.Grid;
        var hidden = HiddenValues(backbone, adapter.HiddenStates);
        var dimension = MotionFeatures.Dimension(adapter.Motion, grid) + hidden;
        if (dimension != adapter.FeatureDimension)
            throw new ArgumentException($"the adapter reads {adapter.FeatureDimension} values per frame, but {MotionFeatures.Name(adapter.Motion)} (hidden states {HiddenStateFeatures.Name(adapter.HiddenStates)}) on {backbone.Spec.Name}'s {grid.Rows}x{grid.Columns} grid gives {dimension}");
        return Attention(backbone, parallelism).Via(Features(grid, adapter.Motion, hidden));
    }

    /// <summary>Pooled hidden-state values per frame for <paramref name="hidden"/> on <paramref name="backbone"/>.</summary>
    /// <exception cref="ArgumentException">Pooled hidden states are asked of a backbone that names no hidden-state tensor.</exception>
    public static int HiddenValues(IFrameBackbone backbone, HiddenStates hidden)
    {
        if (hidden == HiddenStates.None) return 0;
        if (backbone.Spec.HiddenValues == 0) throw new ArgumentException($"{backbone.Spec.Name} names no hidden-state tensor; --hidden-states pooled needs one");
        return backbone.Spec.HiddenValues;
    }

    /// <summary>
    /// Features → adapter scores inside the stream: windows of the adapter's length every
    /// <paramref name="stride"/> frames, each scored; emits (first frame index, per-frame probabilities) per window.
    /// </summary>
    public static Flow<FrameFeatures, (int Start, float[][] Scores), NotUsed> Scores(Segments.IActionAdapter adapter, int stride) =>
        Island(Flow.Create<FrameFeatures>()
            .Sliding(adapter.WindowFrames, stride)
            .Select(window => (window.First().Index, adapter.Score(window.Select(f => f.Values).ToList()))));

    /// <summary>Every sampled frame's features (motion signal <paramref name="motion"/>, hidden states <paramref name="hidden"/>) of the video at <paramref name="path"/>, in order.</summary>
    public static async Task<IReadOnlyList<FrameFeatures>> ExtractAsync(string path, double framesPerSecond, IFrameBackbone backbone, IMaterializer materializer,
        CancellationToken cancellation = default, MotionFeature motion = MotionFeature.AmFlow, HiddenStates hidden = HiddenStates.None)
    {
        var result = await VideoSources.File(path, framesPerSecond)
            .Via(Attention(backbone))
            .Via(Features(backbone.Spec.Grid, motion, HiddenValues(backbone, hidden)))
            .RunWith(Sink.Seq<FrameFeatures>(), materializer)
            .WaitAsync(cancellation);
        return result;
    }
}
