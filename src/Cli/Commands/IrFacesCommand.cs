using System.Globalization;
using System.Text.Json;
using Vigil.Infrared.Faces;
using Vigil.Infrared.Training.Faces;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil ir faces --input DIR --out F.csv [--model CARD]</c> (one row per face),
/// <c>vigil ir faces train [--data DIR] --out DIR [--seed N] [--epochs N] [--limit N] [--json]</c> and
/// <c>vigil ir faces eval [--data DIR] [--model CARD] [--part test|validation] [--adapted-only] [--json]</c>
/// (the adapted detector and every RGB detector with every preprocessing, recall/precision at IoU 0.5) and
/// <c>vigil ir faces calibrate --model CARD --version V [--data DIR] [--flip] [--validation-only]</c> (re-chooses the card's passes and threshold on validation).
/// </summary>
internal static class IrFacesCommand
{
    public const string Usage =
        "faces --input DIR --out F.csv [--model CARD]\n" +
        "       vigil ir faces train [--data DIR] --out DIR [--seed N] [--epochs N] [--batch N] [--lr X] [--scale-min X] [--scale-max X] [--iou-loss W] [--version V] [--limit N] [--json]\n" +
        "       vigil ir faces eval [--data DIR] [--model CARD] [--part test|validation] [--adapted-only] [--json]\n" +
        "       vigil ir faces calibrate --model CARD --version V [--data DIR] [--flip] [--validation-only]";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The shipped card, the default model.</summary>
    public static string DefaultCard => Path.Combine(RepositoryPaths.Root, "models", "ir-face-centernet", "ir-face-centernet.card.json");

    private static string DefaultData => Path.Combine(RepositoryPaths.Shared, "data", "thermal-faces", "chips");

    public static Task<int> RunAsync(string[] args)
    {
        if (args.Length > 0 && args[0] == "train") return Task.FromResult(Train(new CommandArguments(args[1..], "json"), args));
        if (args.Length > 0 && args[0] == "eval") return Task.FromResult(Eval(new CommandArguments(args[1..], "json", "adapted-only")));
        if (args.Length > 0 && args[0] == "calibrate") return Task.FromResult(Calibrate(new CommandArguments(args[1..], "flip", "validation-only")));
        return Task.FromResult(Detect(new CommandArguments(args)));
    }

    private static int Detect(CommandArguments a)
    {
        var input = a.Require("input");
        var output = a.Require("out");
        var model = a.Get("model") ?? DefaultCard;
        a.RejectUnknown();
        var dataset = ChipsDataset.Load(input);
        using var detector = ThermalFaceDetector.Open(RequireCard(model));
        Console.Error.WriteLine($"vigil ir faces: model {detector.Card} is NOT FOR CLINICAL USE; {dataset.Images.Count} images in {dataset.Directory}");
        var dir = Path.GetDirectoryName(Path.GetFullPath(output));
        if (dir is not null) Directory.CreateDirectory(dir);
        using var writer = new StreamWriter(output);
        var (images, faces) = ThermalFaceCsv.Write(detector, dataset, writer);
        Console.WriteLine($"{faces} faces in {images} images; wrote {output}");
        return 0;
    }

    private static int Train(CommandArguments a, string[] raw)
    {
        var options = new ThermalFaceTrainingOptions
        {
            Data = a.Get("data") ?? DefaultData,
            OutDirectory = a.Require("out"),
            Seed = a.GetInt("seed", 15),
            Epochs = a.GetInt("epochs", 40),
            BatchSize = a.GetInt("batch", 16),
            LearningRate = a.GetDouble("lr", 3e-3),
            Limit = a.GetInt("limit", 0),
            ScaleMin = a.GetDouble("scale-min", 0.75),
            ScaleMax = a.GetDouble("scale-max", 1.35),
            IoULossWeight = a.GetDouble("iou-loss", 0),
            Version = a.Get("version") ?? "1.0.0",
            Command = "vigil ir faces " + string.Join(' ', raw),
        };
        var json = a.Flag("json");
        a.RejectUnknown();
        var report = ThermalFaceTrainer.Train(options, Console.Error);
        if (json) Console.WriteLine(JsonSerializer.Serialize(report, JsonOptions));
        else Console.WriteLine($"wrote {report.CardPath} (best epoch {report.BestEpoch}, threshold {report.Threshold:F3})");
        return 0;
    }

    private static int Eval(CommandArguments a)
    {
        var data = a.Get("data") ?? DefaultData;
        var model = a.Get("model") ?? DefaultCard;
        var partName = a.Get("part") ?? "test";
        var json = a.Flag("json");
        var adaptedOnly = a.Flag("adapted-only");
        a.RejectUnknown();
        var part = partName switch
        {
            "test" => ChipsPart.Test,
            "validation" => ChipsPart.Validation,
            _ => throw new CommandLineException($"--part '{partName}': test or validation (the training split is not an evaluation)"),
        };
        var dataset = ChipsDataset.Load(data);
        var images = dataset.Part(part).Where(i => i.Labelled).ToList();
        if (images.Count == 0) throw new CommandLineException($"{data}: no labelled images in the {partName} split");
        var modelsDir = Path.Combine(RepositoryPaths.Shared, "assets", "models");
        var results = new List<DetectorFigures>();
        void Run(IThermalFaceDetector detector, double threshold)
        {
            using (detector)
            {
                Console.Error.WriteLine($"evaluating {detector.Name} on {images.Count} {partName} images");
                results.Add(ThermalFaceEvaluation.Evaluate(detector, images, threshold));
            }
        }
        var adapted = ThermalFaceDetector.Open(RequireCard(model));
        var byWidth = ThermalFaceEvaluation.ByWidth(adapted, images, adapted.ScoreThreshold);
        Run(adapted, adapted.ScoreThreshold);
        if (adaptedOnly)
        {
            var only = results[0];
            if (json) Console.WriteLine(JsonSerializer.Serialize(new { split = ChipsSplit.Description, part = partName, images = images.Count, faces = only.Faces, adapted_recall_by_width = byWidth, detectors = results }, JsonOptions));
            else
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{only.Detector}: own threshold {Fmt(only.AtOperatingThreshold)}   best at P>=0.8 {Fmt(only.BestRecallAtPrecision08)}   best F1 {Fmt(only.BestF1)}"));
                Console.WriteLine("recall by labelled width: " + string.Join(", ", byWidth.Select(b => $"{b.Widths} px {b.Found}/{b.Faces}")));
            }
            return 0;
        }
        foreach (var p in ThermalPreprocessing.All) Run(new YuNetThermalBaseline(modelsDir, p), 0.6);
        foreach (var p in ThermalPreprocessing.All.Where(p => p.Upscale == 1)) Run(new UltraFaceThermalBaseline(modelsDir, p), 0.7);
        foreach (var p in ThermalPreprocessing.All.Where(p => p.Upscale == 1)) Run(new BlazeFaceThermalBaseline(modelsDir, p), 0.5);
        var adaptedFigures = results[0];
        var bestRgb = results.Skip(1).GroupBy(r => r.Detector.Split(' ')[0])
            .Select(g => g.OrderByDescending(r => r.BestRecallAtPrecision08?.Recall ?? -1).ThenByDescending(r => r.BestF1?.F1 ?? 0).First()).ToList();
        var point = adaptedFigures.AtOperatingThreshold!;
        var bestRgbRecall = bestRgb.Max(r => r.BestRecallAtPrecision08?.Recall ?? 0);
        var floor = new
        {
            rule = "adapted recall >= 0.85 at precision >= 0.8 (card threshold, IoU 0.5), above every RGB detector's best recall at precision >= 0.8",
            met = point.Recall >= 0.85 && point.Precision >= 0.8 && point.Recall > bestRgbRecall,
            adapted_recall = point.Recall,
            adapted_precision = point.Precision,
            best_rgb_recall_at_precision_08 = bestRgbRecall,
        };
        var report = new { split = ChipsSplit.Description, part = partName, images = images.Count, faces = adaptedFigures.Faces, floor, adapted_recall_by_width = byWidth, best_rgb_setting = bestRgb, detectors = results };
        if (json) Console.WriteLine(JsonSerializer.Serialize(report, JsonOptions));
        else
        {
            Console.WriteLine($"{partName}: {images.Count} images, {adaptedFigures.Faces} faces; recall/precision at IoU 0.5");
            foreach (var r in results)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{r.Detector,-38} own threshold {Fmt(r.AtOperatingThreshold)}   best at P>=0.8 {Fmt(r.BestRecallAtPrecision08)}   best F1 {Fmt(r.BestF1)}"));
            Console.WriteLine("adapted recall by labelled width: " + string.Join(", ", byWidth.Select(b => $"{b.Widths} px {b.Found}/{b.Faces}")));
            Console.WriteLine($"floor met: {floor.met}");
        }
        return 0;
    }

    private static int Calibrate(CommandArguments a)
    {
        var model = RequireCard(a.Require("model"));
        var version = a.Require("version");
        var data = a.Get("data") ?? DefaultData;
        var flip = a.Flag("flip");
        var validationOnly = a.Flag("validation-only");
        a.RejectUnknown();
        var (choice, validation, test) = ThermalFaceTrainer.Recalibrate(model, data, version, Console.Error, flip, includeTest: !validationOnly);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"wrote {model} {version}: {choice.Passes}, threshold {choice.Threshold:F3}; validation {Fmt(validation.AtOperatingThreshold)}; held-out test {Fmt(test?.AtOperatingThreshold)}"));
        return 0;
    }

    private static string Fmt(OperatingPoint? p) => p is null ? "-" : string.Create(CultureInfo.InvariantCulture, $"R {p.Recall:F3} P {p.Precision:F3} @ {p.Threshold:F2}");

    private static string RequireCard(string card) =>
        File.Exists(card) ? card : throw new CommandLineException($"model card {card} not found (train one with 'vigil ir faces train --out DIR')");
}
