using System.Diagnostics;
using Akka.Actor;
using Akka.Streams;
using Vigil.Models.Cards;
using Vigil.Models.Catalog;
using Vigil.Video.Backbone;
using Vigil.Video.Motion;
using Vigil.Video.Segments;

namespace Vigil.Video.Training;

/// <summary>
/// <c>vigil video train</c>: features of every labelled clip through the frozen backbone (cached by
/// clip, backbone sha256, rate and motion feature), an adapter trained on them, figures on held-out clips, and the card.
/// </summary>
public static class VideoTraining
{
    /// <summary>Trains, evaluates on the held-out clips when given, writes the card; returns the held-out figures (null without).</summary>
    public static async Task<ClipEvaluation?> TrainAsync(VideoTrainOptions o, TextWriter log, CancellationToken cancellation = default)
    {
        var t = o.Training;
        using var backbone = Backbones.Load(o.Backbone, o.Cache);
        using var system = ActorSystem.Create("vigil-video-train", "akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING");
        try
        {
            var materializer = system.Materializer();
            var clock = Stopwatch.StartNew();
            var train = await LoadAsync(o.Clips, o.Labels, t.FramesPerSecond, t.Motion, t.HiddenStates, backbone, o.Cache, materializer, log, cancellation);
            log.WriteLine($"features ({MotionFeatures.Name(t.Motion)}, hidden states {HiddenStateFeatures.Name(t.HiddenStates)}): {train.Count} training clips, {train.Sum(c => c.Features.Length)} frames in {clock.Elapsed.TotalSeconds:0.0} s");
            var labels = t.Labels.Count > 0 ? t.Labels : train.SelectMany(c => c.Truth.Select(s => s.Label)).Distinct().Order(StringComparer.Ordinal).ToList();
            var options = new AdapterTrainingOptions
            {
                Kind = t.Kind, Motion = t.Motion, HiddenStates = t.HiddenStates, WindowFrames = t.WindowFrames, Stride = t.Stride, Hidden = t.Hidden, FramesPerSecond = t.FramesPerSecond,
                Epochs = t.Epochs, Seed = t.Seed, LearningRate = t.LearningRate, Labels = labels,
                // Mirror augmentation on this backbone's grid (VitTrack 16×16, ResNet18 14×14).
                MirrorGridColumns = backbone.Spec.Grid.Columns, MirrorGridCells = backbone.Spec.Grid.Patches,
            };
            var lastEpoch = 0;
            var progress = new Progress<Models.Training.TrainingProgress>(p =>
            {
                if (p.Batch == p.Batches && p.Epoch != lastEpoch)
                {
                    lastEpoch = p.Epoch;
                    log.WriteLine(p.ToString());
                }
            });
            clock.Restart();
            var (adapter, epochs) = AdapterTrainer.Train(train.Select(c => (c.Features, (IReadOnlyList<ActionSegment>)c.Truth)).ToList(), options,
                backbone.Spec.Name, backbone.Model.SourceSha256, progress, cancellation);
            log.WriteLine($"trained {t.Kind} adapter in {clock.Elapsed.TotalSeconds:0.0} s, final loss {epochs[^1].TrainLoss:0.0000}");
            using (adapter)
            {
                var metrics = new Dictionary<string, double>
                {
                    ["train_clips"] = train.Count,
                    ["train_frames"] = train.Sum(c => c.Features.Length),
                    ["final_train_bce"] = Math.Round(epochs[^1].TrainLoss, 5),
                };
                ClipEvaluation? evaluation = null;
                var split = "all training clips";
                if (o.EvalClips is not null)
                {
                    var held = await LoadAsync(o.EvalClips, o.EvalLabels ?? Path.Combine(o.EvalClips, "labels.csv"), t.FramesPerSecond, t.Motion, t.HiddenStates, backbone, o.Cache, materializer, log, cancellation);
                    evaluation = ClipEvaluation.Evaluate(adapter, held.Select(c => (c.Features, (IReadOnlyList<ActionSegment>)c.Truth)).ToList(),
                        t.FramesPerSecond, new HysteresisSegmenter(), t.Stride);
                    metrics["eval_clips"] = evaluation.Clips;
                    metrics["eval_frames"] = evaluation.Frames;
                    metrics["eval_frame_accuracy"] = Math.Round(evaluation.FrameAccuracy, 4);
                    metrics["eval_segment_frame_accuracy"] = Math.Round(evaluation.SegmentFrameAccuracy, 4);
                    metrics["eval_segment_f1_iou50"] = Math.Round(evaluation.SegmentF1, 4);
                    split = $"trained on {o.Clips}, figures on held-out clips {o.EvalClips}";
                }
                var training = new CardTraining
                {
                    Dataset = $"{Path.GetFileName(Path.GetFullPath(o.Clips).TrimEnd('/'))} ({train.Count} clips)",
                    DatasetSha256 = ModelFileHash.Sha256Of(System.Text.Encoding.UTF8.GetBytes(string.Join("\n", train.Select(c => c.Sha256)))),
                    Split = split,
                    Seed = t.Seed,
                    Epochs = t.Epochs,
                    Command = o.Command,
                    Metrics = metrics,
                };
                var card = AdapterCards.Save(adapter, o.OutCard, training, training.Dataset);
                log.WriteLine($"wrote {card.CardPath}");
                return evaluation;
            }
        }
        finally
        {
            await system.Terminate();
        }
    }

    /// <summary>The backbone name the card's adapter was trained on (its adapter config's <c>backbone</c>).</summary>
    public static string CardBackbone(string cardPath)
    {
        using var adapter = TorchActionAdapter.Load(cardPath);
        return adapter.Config.Backbone;
    }

    /// <summary>Evaluates an adapter card on labelled clips (features from the cache when present).</summary>
    public static async Task<ClipEvaluation> EvaluateAsync(string cardPath, string clipsDirectory, string labelsPath, string backbonePath, string cache, TextWriter log, CancellationToken cancellation = default)
    {
        using var adapter = TorchActionAdapter.Load(cardPath);
        using var backbone = Backbones.Load(backbonePath, cache);
        if (!string.Equals(adapter.Config.BackboneSha256, backbone.Model.SourceSha256, StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException($"{Path.GetFileName(cardPath)}: trained on backbone sha256 {adapter.Config.BackboneSha256}, not {backbone.Model.SourceSha256}");
        using var system = ActorSystem.Create("vigil-video-eval", "akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING");
        try
        {
            // The features the adapter was trained on: its config names the motion signal.
            var clips = await LoadAsync(clipsDirectory, labelsPath, adapter.Config.FramesPerSecond, adapter.Motion, adapter.HiddenStates, backbone, cache, system.Materializer(), log, cancellation);
            return ClipEvaluation.Evaluate(adapter, clips.Select(c => (c.Features, (IReadOnlyList<ActionSegment>)c.Truth)).ToList(),
                adapter.Config.FramesPerSecond, new HysteresisSegmenter(), Math.Max(1, adapter.WindowFrames / 4));
        }
        finally
        {
            await system.Terminate();
        }
    }

    private sealed record LabelledClip(string Name, string Sha256, float[][] Features, List<ActionSegment> Truth);

    private static async Task<List<LabelledClip>> LoadAsync(string directory, string labelsPath, double fps, MotionFeature motion, HiddenStates hidden, IFrameBackbone backbone, string cache,
        IMaterializer materializer, TextWriter log, CancellationToken cancellation)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"{directory}: clip folder not found");
        var labels = SegmentCsv.ReadLabels(labelsPath);
        var clips = new List<LabelledClip>();
        foreach (var (name, truth) in labels.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var path = Path.Combine(directory, name);
            if (!File.Exists(path)) throw new FileNotFoundException($"{Path.GetFileName(labelsPath)} names {name}, which is not in {directory}", path);
            var features = await FeatureCache.GetOrComputeAsync(path, fps, backbone, cache, materializer, cancellation, motion, hidden);
            clips.Add(new LabelledClip(name, ModelFileHash.Sha256OfFile(path), features, truth));
        }
        return clips;
    }
}
