using System.Globalization;
using System.Text.Json;
using Vigil.BoneAge.Training;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil boneage train --data DIR --out MODELDIR [--folds K] [--seed S] [--epochs N] [--size PX[,PX...]] [--copies N] [--robustness] [--json]</c> and
/// <c>vigil boneage eval --data DIR (--model CARD | --folds K) [--out DIR] [--robustness] [--json]</c>.
/// </summary>
internal static class BoneAgeTrainingCommands
{
    public const string Usage =
        "       vigil boneage train --data DIR --out MODELDIR [--folds K] [--seed S] [--epochs N] [--size PX[,PX...]] [--copies N] [--limit N] [--robustness] [--json]\n" +
        "       vigil boneage eval --data DIR (--model CARD | --folds K [--seed S] [--epochs N]) [--out DIR] [--limit N] [--robustness [--robustness-images N]] [--json]";

    /// <summary>The shipped trained model, used by <c>boneage score</c> when --model is omitted.</summary>
    public static string DefaultCard => Path.Combine(RepositoryPaths.Root, "models", "boneage-resnet18", "boneage-resnet18.card.json");

    /// <summary>True when the card is a TorchSharp card (written by <c>boneage train</c>).</summary>
    public static bool IsTrainedCard(string card)
    {
        if (!File.Exists(card)) throw new CommandLineException($"model card {card} not found");
        return Vigil.Models.Cards.ModelCardReader.Read(card).Runtime == "torchsharp";
    }

    public static int Score(string card, IReadOnlyList<string> files, Vigil.BoneAge.Scoring.Manifest manifest, string outDir, bool json)
    {
        using var estimator = BoneAgeEstimator.Open(card);
        Console.Error.WriteLine($"vigil boneage: model {estimator.Card} is NOT FOR CLINICAL USE; every row says so. Validation: {BoneAgeEstimateReport.ValidationOf(estimator.Card)}");
        var (scored, withheld, report) = BoneAgeEstimateReport.Run(estimator, files, manifest, outDir, json ? Console.Error : Console.Out);
        if (json) Console.WriteLine(JsonSerializer.Serialize(new { model = estimator.Card.ToString(), scored, withheld, report }, JsonOptions));
        else Console.WriteLine($"scored {scored}, withheld {withheld}; report {report}");
        return 0;
    }

    public static int Train(CommandArguments a, string[] raw)
    {
        var options = TrainingOptions(a, a.Require("out"), raw, defaultFolds: 5);
        var json = a.Flag("json");
        a.RejectUnknown();
        var report = RunTrainer(options, json);
        if (json) Console.WriteLine(JsonSerializer.Serialize(report, JsonOptions));
        else PrintReport(report);
        return 0;
    }

    public static int Eval(CommandArguments a, string[] raw)
    {
        var json = a.Flag("json");
        var model = a.Get("model");
        if (model is null)
        {
            if (a.Get("folds") is null) throw new CommandLineException("boneage eval needs --model CARD, or --folds K for cross-validation on --data");
            var options = TrainingOptions(a, a.Get("out") ?? Path.Combine(Path.GetTempPath(), "vigil-boneage-cv"), raw, defaultFolds: 5);
            a.RejectUnknown();
            var report = RunTrainer(options, json);
            if (json) Console.WriteLine(JsonSerializer.Serialize(report, JsonOptions));
            else PrintReport(report);
            return 0;
        }
        var data = a.Require("data");
        var outDir = a.Get("out") ?? "boneage-eval";
        var limit = a.GetInt("limit", 0);
        var robustness = a.Flag("robustness");
        a.RejectUnknown();
        var dataset = BoneAgeDataset.Load(data);
        var items = limit > 0 ? dataset.Items.Take(limit).ToList() : dataset.Items.ToList();
        using var estimator = BoneAgeEstimator.Open(model);
        Console.Error.WriteLine($"vigil boneage: model {estimator.Card} is NOT FOR CLINICAL USE. Evaluating {items.Count} radiographs of {dataset.Directory}.");
        var conditions = new List<(string Name, RadiographAugmentation A)> { ("as given", RadiographAugmentation.None) };
        if (robustness) conditions.AddRange(BoneAgeTrainer.Conditions);
        var results = new List<object>();
        Directory.CreateDirectory(outDir);
        foreach (var (name, augmentation) in conditions)
        {
            var predictions = new List<BoneAgePrediction>();
            foreach (var item in items)
            {
                predictions.Add(estimator.Estimate(item.Image, item.Male, item.Months, augmentation));
                if (predictions.Count % 25 == 0) Console.Error.WriteLine($"  {name}: {predictions.Count}/{items.Count}");
            }
            var metrics = BoneAgeMetrics.Compute(predictions);
            string? plot = null;
            if (name == "as given")
            {
                plot = Path.Combine(outDir, "calibration.png");
                CalibrationPlot.Write(plot, predictions, string.Create(CultureInfo.InvariantCulture, $"{estimator.Card}: MAD {metrics.Mad:0.0} months on {metrics.Count} radiographs"));
            }
            results.Add(new { condition = name, metrics, calibration_plot = plot });
            if (!json) Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-20} MAD {metrics.Mad,6:0.00} months  within 12: {metrics.Within12:P0}  male {metrics.MadBySex["male"]:0.0}  female {metrics.MadBySex["female"]:0.0}  withheld {metrics.Withheld}/{predictions.Count}"));
        }
        if (json) Console.WriteLine(JsonSerializer.Serialize(new { model = estimator.Card.ToString(), sha256 = estimator.Card.Sha256, data = dataset.Directory, images = items.Count, results }, JsonOptions));
        return 0;
    }

    private static BoneAgeTrainingOptions TrainingOptions(CommandArguments a, string outDir, string[] raw, int defaultFolds) => new()
    {
        DataDirectory = a.Require("data"),
        OutputDirectory = outDir,
        CacheDirectory = a.Get("cache"),
        Folds = a.GetInt("folds", defaultFolds),
        Seed = a.GetInt("seed", 1),
        Epochs = a.GetInt("epochs", 30),
        Sizes = Sizes(a.Get("size") ?? "384,448"),
        AugmentedCopies = a.GetInt("copies", 0),
        Limit = a.GetInt("limit", 0),
        Robustness = a.Flag("robustness"),
        RobustnessImages = a.GetInt("robustness-images", 100),
        Command = "vigil boneage " + string.Join(' ', raw),
    };

    private static int[] Sizes(string value)
    {
        var parts = value.Split(',', StringSplitOptions.TrimEntries);
        var sizes = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out sizes[i]) || sizes[i] < 32 || sizes[i] % 32 != 0)
                throw new CommandLineException($"--size '{value}': expected pixel sides, multiples of 32, separated by commas (e.g. 384,512)");
        return sizes;
    }

    private static BoneAgeTrainingReport RunTrainer(BoneAgeTrainingOptions options, bool json)
    {
        var log = new Progress(line => (json ? Console.Error : Console.Out).WriteLine(line));
        try
        {
            return new BoneAgeTrainer(options, log).Run();
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new CommandLineException(e.Message.Split('\n')[0]);
        }
    }

    private static void PrintReport(BoneAgeTrainingReport r)
    {
        var cv = r.CrossValidation;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Folds.Count}-fold CV on {r.Images} radiographs: MAD {cv.Mad:0.00} months, RMSE {cv.Rmse:0.00}, within 12 months {cv.Within12:P1}, bias {cv.Bias:+0.0;-0.0}"));
        foreach (var f in r.Folds) Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  fold {f.Fold}: MAD {f.Mad:0.00} ({f.Test} held out), {f.SecondsPerEpoch:0.0} s/epoch, peak {f.PeakMiB:0} MiB"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  male {cv.MadBySex["male"]:0.00}, female {cv.MadBySex["female"]:0.00}; {string.Join(", ", cv.MadByAgeBand.Select(b => string.Create(CultureInfo.InvariantCulture, $"{b.Band} {b.Mad:0.0} (n {b.Count})")))}"));
        foreach (var rb in r.Robustness) Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {rb.Condition}: MAD {rb.Mad:0.00} (all scored {rb.MadIfScoredAll:0.00}), withheld {rb.WithheldShare:P1}"));
        Console.WriteLine($"card {r.Card}; calibration plot {r.CalibrationPlot}; features {r.FeatureSeconds:0} s, total {r.TotalSeconds:0} s");
    }

    private sealed class Progress(Action<string> write) : IProgress<string>
    {
        public void Report(string value) => write(value);
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };
}
