using Vigil.Models.Training;
using Vigil.Video.Motion;
using Vigil.Video.Segments;
using TorchSharp;
using static TorchSharp.torch;

namespace Vigil.Video.Training;

/// <summary>
/// Trains an adapter on cached frozen-backbone features of labelled clips: windows of
/// <see cref="AdapterTrainingOptions.WindowFrames"/> frames every <see cref="AdapterTrainingOptions.Stride"/>
/// frames, per-frame multi-label targets from the segments, binary cross-entropy, the shared
/// <see cref="TrainingLoop"/> (seeded, cosine schedule, progress).
/// </summary>
public static class AdapterTrainer
{
    /// <summary>Trains on (features, truth) clips; returns the adapter and the per-epoch summaries.</summary>
    public static (TorchActionAdapter Adapter, IReadOnlyList<EpochSummary> Epochs) Train(
        IReadOnlyList<(float[][] Features, IReadOnlyList<ActionSegment> Truth)> clips, AdapterTrainingOptions o,
        string backbone, string backboneSha256, IProgress<TrainingProgress>? progress = null, CancellationToken cancellation = default)
    {
        if (o.Labels.Count == 0) throw new ArgumentException("no labels to learn");
        if (clips.Count == 0) throw new ArgumentException("no labelled clips to train on");
        var d = clips[0].Features.FirstOrDefault()?.Length ?? throw new ArgumentException("the first clip has no frames");
        var (mean, std) = Normalisation(clips.SelectMany(c => c.Features), d);
        var config = new AdapterConfig
        {
            Kind = o.Kind, WindowFrames = o.WindowFrames, FeatureDimension = d, Motion = o.Motion, HiddenStates = o.HiddenStates, Hidden = o.Hidden, Labels = o.Labels,
            Mean = mean, Std = std, FramesPerSecond = o.FramesPerSecond, Backbone = backbone, BackboneSha256 = backboneSha256,
        };

        // Examples: every window of every clip; the last window of a clip ends on its last frame.
        var w = o.WindowFrames;
        var xs = new List<float>();
        var ys = new List<float>();
        var count = 0;
        var mirror = o.MirrorGridColumns > 0 && o.MirrorGridCells > 0 && o.MirrorGridCells % o.MirrorGridColumns == 0;
        var rows = mirror ? o.MirrorGridCells / o.MirrorGridColumns : 0;
        // Values after the per-patch blocks: the pooled hidden state (position-free, left as it is by the mirror).
        var trailing = mirror ? d - MotionFeatures.Blocks(o.Motion) * o.MirrorGridCells : 0;
        if (mirror && (o.HiddenStates == HiddenStates.None ? trailing != 0 : trailing is < 1 or > HiddenStateFeatures.MaxValues))
            throw new ArgumentException($"{d} features per frame are not the {MotionFeatures.Blocks(o.Motion)} blocks of {o.MirrorGridCells} patches that {MotionFeatures.Name(o.Motion)} gives"
                + (o.HiddenStates == HiddenStates.Pooled ? $" plus 1..{HiddenStateFeatures.MaxValues} pooled hidden-state values" : "") + "; the mirror augmentation needs that layout");
        var normalised = new float[d];
        var flipped = new float[d];
        foreach (var (features, truth) in clips)
        {
            if (features.Length < w) continue;
            var frameTruth = SegmentCsv.FrameTruth(truth, o.Labels, features.Length, o.FramesPerSecond);
            var starts = Enumerable.Range(0, (features.Length - w) / o.Stride + 1).Select(i => i * o.Stride).ToList();
            if (starts[^1] != features.Length - w) starts.Add(features.Length - w);
            foreach (var s in starts)
                foreach (var mirrored in mirror ? [false, true] : new[] { false })
                {
                    for (var i = s; i < s + w; i++)
                    {
                        if (features[i].Length != d) throw new ArgumentException($"clips have {features[i].Length} and {d} features per frame");
                        for (var k = 0; k < d; k++) normalised[k] = (features[i][k] - mean[k]) / std[k];
                        // The mirrored frame, normalised: each value keeps its own statistics and moves
                        // with its patch; the horizontal optical flow also changes sign.
                        if (mirrored) MotionFeatures.Mirror(normalised, o.Motion, rows, o.MirrorGridColumns, flipped, trailing);
                        xs.AddRange(mirrored ? flipped : normalised);
                        foreach (var t in frameTruth[i]) ys.Add(t ? 1 : 0);
                    }
                    count++;
                }
        }
        if (count < 4) throw new ArgumentException($"only {count} training windows of {w} frames; give longer or more clips");

        TorchSharpNative.EnsureLoaded();
        TorchDeterminism.Seed(o.Seed);
        var module = new AdapterModule(config);
        using var x = tensor(xs.ToArray(), [count, w, d]);
        using var y = tensor(ys.ToArray(), [count, w, o.Labels.Count]);
        var optimizer = optim.AdamW(module.parameters(), o.LearningRate, weight_decay: o.WeightDecay);
        var loop = new TrainingLoop(new TrainingOptions { Epochs = o.Epochs, BatchSize = 32, Seed = o.Seed, LearningRate = o.LearningRate });
        module.train();
        var epochs = loop.Run(count, optimizer, indices =>
        {
            using var idx = tensor(indices);
            return nn.functional.binary_cross_entropy_with_logits(module.call(x.index_select(0, idx)), y.index_select(0, idx));
        }, progress: progress, cancellation: cancellation);
        return (new TorchActionAdapter(module, config, null), epochs);
    }

    private static (float[] Mean, float[] Std) Normalisation(IEnumerable<float[]> frames, int d)
    {
        var sum = new double[d];
        var sq = new double[d];
        long n = 0;
        foreach (var f in frames)
        {
            for (var k = 0; k < d; k++)
            {
                sum[k] += f[k];
                sq[k] += (double)f[k] * f[k];
            }
            n++;
        }
        var mean = new float[d];
        var std = new float[d];
        for (var k = 0; k < d; k++)
        {
            mean[k] = (float)(sum[k] / n);
            var variance = Math.Max(0, sq[k] / n - mean[k] * (double)mean[k]);
            // A constant feature (e.g. a patch that never changes) gets unit scale instead of a division by 0.
            std[k] = variance > 1e-12 ? (float)Math.Sqrt(variance) : 1f;
        }
        return (mean, std);
    }
}
