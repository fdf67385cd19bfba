using System.Globalization;
using Vigil.Video.Backbone;
using Vigil.Video.Motion;
using Vigil.Video.Synthetic;
using Vigil.Video.Training;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil video generate|train|run|bench</c>: the clinical video room (AM-flow action segments on a frozen ViT).</summary>
internal static class VideoCommand
{
    // The shipped demonstration adapter (trained on generated clips).
    internal static string DefaultCard => Path.Combine(RepositoryPaths.Root, "models", "video-actions", "video-actions.card.json");

    // The shipped demonstration adapter whose features include the heat maps' optical flow (motion
    // "both"; the bench's optical-flow case).
    internal static string DefaultOpticalFlowCard => Path.Combine(RepositoryPaths.Root, "models", "video-actions", "video-actions-both.card.json");

    internal static string DefaultBackbone => Path.Combine(RepositoryPaths.Shared, "assets", "models", "vittrack_2023sep.onnx");

    internal static string DefaultCache => Path.Combine(RepositoryPaths.Root, ".build", "video-cache");

    /// <summary>The backbone for a name (vittrack, resnet18, an adapter config's backbone name) or path; null: VitTrack.</summary>
    internal static IFrameBackbone OpenBackbone(string? nameOrPath) =>
        Backbones.Load(Backbones.Resolve(string.IsNullOrEmpty(nameOrPath) ? Backbones.VitTrack : nameOrPath, DefaultBackbone), DefaultCache);

    /// <summary>The backbone file for a name or path; null: VitTrack.</summary>
    internal static string BackbonePath(string? nameOrPath) =>
        Backbones.Resolve(string.IsNullOrEmpty(nameOrPath) ? Backbones.VitTrack : nameOrPath, DefaultBackbone);

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            Console.Error.WriteLine("usage: vigil video generate --out DIR [--clips N] [--seed S]");
            Console.Error.WriteLine("       vigil video train --clips DIR [--labels CSV] --adapter transformer|tcn|lstm --out CARD [--seed N] [--epochs N] [--eval DIR] [--backbone vittrack|resnet18|ONNX] [--motion am-flow|optical-flow|both] [--hidden-states none|pooled]");
            Console.Error.WriteLine("       vigil video eval --clips DIR [--labels CSV] --model CARD [--backbone vittrack|resnet18|ONNX] [--json]");
            Console.Error.WriteLine("       vigil video run --input FILE|DIR [--model CARD] --out DIR [--fps F] [--backbone vittrack|resnet18|ONNX] [--overlay png|mp4]");
            Console.Error.WriteLine("       vigil video bench [--input FILE] [--model CARD] [--optical-flow-model CARD] [--streams N] [--repeats N] [--json]");
            return args.Length == 0 ? 2 : 0;
        }
        var rest = args[1..];
        return args[0] switch
        {
            "generate" => Generate(new CommandArguments(rest)),
            "train" => await TrainAsync(new CommandArguments(rest), args),
            "eval" => await EvalAsync(new CommandArguments(rest, "json")),
            "run" => await VideoRunCommand.RunAsync(new CommandArguments(rest)),
            "bench" => await VideoRunCommand.BenchAsync(new CommandArguments(rest, "json")),
            _ => throw new CommandLineException($"unknown subcommand '{args[0]}' (generate, train, eval, run, bench)"),
        };
    }

    private static int Generate(CommandArguments a)
    {
        var output = a.Require("out");
        var count = a.GetInt("clips", 24);
        var seed = a.GetInt("seed", 1);
        a.RejectUnknown();
        var clips = ClipSet.Write(output, count, seed);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"wrote {clips.Count} clips ({clips.Sum(c => c.Frames)} frames, {clips.Sum(c => c.Segments.Count)} segments) and labels.csv to {output}"));
        return 0;
    }

    private static async Task<int> EvalAsync(CommandArguments a)
    {
        var clips = a.Require("clips");
        var labels = a.Get("labels") ?? Path.Combine(clips, "labels.csv");
        var card = a.Require("model");
        var backboneName = a.Get("backbone");
        var json = a.Flag("json");
        a.RejectUnknown();
        // Without --backbone, the backbone the card's adapter was trained on.
        var backbone = BackbonePath(backboneName ?? VideoTraining.CardBackbone(card));
        var e = await VideoTraining.EvaluateAsync(card, clips, labels, backbone, DefaultCache, Console.Error);
        Console.WriteLine(json
            ? System.Text.Json.JsonSerializer.Serialize(new { card = Path.GetFileName(card), clips = e.Clips, frames = e.Frames, frame_accuracy = Math.Round(e.FrameAccuracy, 4), segment_frame_accuracy = Math.Round(e.SegmentFrameAccuracy, 4), segment_f1_iou50 = Math.Round(e.SegmentF1, 4), matched = e.TruePositives, predicted = e.Predicted, actual = e.Actual })
            : Describe(Path.GetFileName(card), e));
        return 0;
    }

    private static string Describe(string what, Vigil.Video.Segments.ClipEvaluation e) => string.Create(CultureInfo.InvariantCulture,
        $"{what}: held-out {e.Clips} clips / {e.Frames} frames: frame accuracy {e.FrameAccuracy:0.000} (from segments {e.SegmentFrameAccuracy:0.000}), segment F1@0.5 {e.SegmentF1:0.000} ({e.TruePositives} matched, {e.Predicted} predicted, {e.Actual} true)");

    private static async Task<int> TrainAsync(CommandArguments a, string[] all)
    {
        var clips = a.Require("clips");
        var kind = a.Require("adapter") switch
        {
            "transformer" => AdapterKind.Transformer,
            "tcn" => AdapterKind.Tcn,
            "lstm" => AdapterKind.Lstm,
            var other => throw new CommandLineException($"--adapter must be transformer, tcn or lstm, got '{other}'"),
        };
        var motionName = a.Get("motion") ?? "am-flow";
        var motion = MotionFeatures.Parse(motionName) ?? throw new CommandLineException($"--motion must be am-flow, optical-flow or both, got '{motionName}'");
        // --hidden is the adapter's width; the backbone's hidden states are --hidden-states.
        var hiddenName = a.Get("hidden-states") ?? "none";
        var hidden = HiddenStateFeatures.Parse(hiddenName) ?? throw new CommandLineException($"--hidden-states must be none or pooled, got '{hiddenName}'");
        var options = new VideoTrainOptions
        {
            Clips = clips,
            Labels = a.Get("labels") ?? Path.Combine(clips, "labels.csv"),
            EvalClips = a.Get("eval"),
            EvalLabels = a.Get("eval-labels"),
            OutCard = a.Require("out"),
            Backbone = BackbonePath(a.Get("backbone")),
            Cache = a.Get("cache") ?? DefaultCache,
            Training = new AdapterTrainingOptions
            {
                Kind = kind,
                Motion = motion,
                HiddenStates = hidden,
                Seed = a.GetInt("seed", 1),
                Epochs = a.GetInt("epochs", 30),
                Hidden = a.GetInt("hidden", 64),
                WindowFrames = a.GetInt("window", 16),
                LearningRate = a.GetDouble("lr", 2e-3),
            },
            Command = "vigil " + string.Join(' ', new[] { "video" }.Concat(all)),
        };
        a.RejectUnknown();
        var evaluation = await VideoTraining.TrainAsync(options, Console.Error);
        if (evaluation is not null) Console.WriteLine(Describe(kind.ToString(), evaluation));
        return 0;
    }
}
