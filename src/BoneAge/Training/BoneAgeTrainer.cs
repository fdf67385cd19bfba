using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using Vigil.Models.Cards;
using Vigil.Models.Training;
using static TorchSharp.torch;

namespace Vigil.BoneAge.Training;

/// <summary>
/// Trains and cross-validates the bone-age model: the frozen ImageNet ResNet18 (features cached once
/// per augmentation copy at <see cref="BoneAgeTrainingOptions.Size"/> px) and a <see cref="BoneAgeHead"/>
/// per fold trained with the shared <see cref="TrainingLoop"/>. Every image is estimated by the head
/// that did not see it (out-of-fold), which gives the CV figures; the heads together are the shipped
/// ensemble. Deterministic given the seed (same machine, same thread count).
/// </summary>
public sealed class BoneAgeTrainer(BoneAgeTrainingOptions options, IProgress<string>? log = null)
{
    /// <summary>Model id of the cards this trainer writes.</summary>
    public const string ModelId = "boneage-resnet18";

    /// <summary>Robustness conditions: name and augmentation.</summary>
    public static IReadOnlyList<(string Name, RadiographAugmentation Augmentation)> Conditions { get; } =
    [
        ("rotate +15", new RadiographAugmentation(RotationDegrees: 15)),
        ("rotate -15", new RadiographAugmentation(RotationDegrees: -15)),
        ("horizontal flip", new RadiographAugmentation(FlipHorizontal: true)),
        ("contrast inversion", new RadiographAugmentation(Invert: true)),
        ("half resolution", new RadiographAugmentation(Downscale: 0.5)),
    ];

    private readonly BoneAgeTrainingOptions _o = options ?? throw new ArgumentNullException(nameof(options));
    private ResNet18Backbone? _backbone;

    /// <summary>Runs the cross-validation, writes the ensemble card, report and plot, and returns the report.</summary>
    public BoneAgeTrainingReport Run(CancellationToken cancellation = default)
    {
        var o = _o;
        if (o.Folds < 2) throw new ArgumentOutOfRangeException(nameof(options), o.Folds, "--folds must be at least 2 (the shipped model is the ensemble of the fold heads).");
        if (o.Epochs < 1) throw new ArgumentOutOfRangeException(nameof(options), o.Epochs, "--epochs must be at least 1.");
        var total = Stopwatch.StartNew();
        TorchSharpNative.EnsureLoaded();
        var dataset = BoneAgeDataset.Load(o.DataDirectory);
        var items = o.Limit > 0 ? dataset.Items.Take(o.Limit).ToList() : dataset.Items.ToList();
        if (items.Count < o.Folds * 2) throw new ArgumentOutOfRangeException(nameof(options), items.Count, $"{o.Folds} folds need at least {2 * o.Folds} images.");
        var folds = BoneAgeDataset.Folds(items, o.Folds, o.Seed);
        var cache = o.CacheDirectory ?? Path.Combine(o.OutputDirectory, "cache");
        var key = string.Create(CultureInfo.InvariantCulture, $"{dataset.LabelsSha256[..12]}-n{items.Count}-{o.Size}px");

        // Copy 0: as given; then copies of randomly augmented images (one backbone pass each). Every
        // batch is also mirrored in feature space with probability 1/2 (the backbone is close to
        // mirror-equivariant, so a mirror costs no backbone pass; it is also the test-time augmentation).
        var copies = new List<Tensor>();
        var extraction = Stopwatch.StartNew();
        for (var c = 0; c < 1 + o.AugmentedCopies; c++)
        {
            var copy = c;
            var name = copy == 0 ? "original" : string.Create(CultureInfo.InvariantCulture, $"aug{copy}-seed{o.Seed}");
            log?.Report($"backbone features, copy {copy + 1}/{1 + o.AugmentedCopies} ({name})");
            copies.Add(FeatureCache.GetOrCompute(Path.Combine(cache, $"features-{key}-{name}.bin"), items, o.Size,
                i => copy == 0 ? RadiographAugmentation.None : RadiographAugmentation.Random(new Random(HashCode.Combine(o.Seed, copy, i))),
                Backbone, log));
        }
        extraction.Stop();
        var n = items.Count;
        using var features = cat(copies, 0);
        foreach (var t in copies) t.Dispose();
        using var male = tensor(items.Select(x => x.Male ? 1f : 0f).ToArray());
        using var months = tensor(items.Select(x => (float)x.Months).ToArray());

        // Seed before the heads are built: their initial weights come from libtorch's generator.
        TorchDeterminism.Seed(o.Seed);
        var ensemble = new BoneAgeEnsemble(o.Folds);
        var foldResults = new List<FoldReport>();
        var oof = new double[n];
        var oofSpread = new double[n];
        for (var f = 0; f < o.Folds; f++)
        {
            var fold = f;
            var train = Enumerable.Range(0, n).Where(i => folds[i] != fold).ToArray();
            var test = Enumerable.Range(0, n).Where(i => folds[i] == fold).ToArray();
            var examples = Enumerable.Range(0, copies.Count).SelectMany(c => train.Select(i => (long)(c * n + i))).ToArray();
            TorchDeterminism.Seed(o.Seed * 100 + fold);
            var head = ensemble.Heads[fold];
            var optimizer = optim.AdamW(head.parameters(), lr: o.LearningRate, weight_decay: 1e-3);
            var loop = new TrainingLoop(new TrainingOptions { Epochs = o.Epochs, BatchSize = o.BatchSize, Seed = o.Seed * 100 + fold, LearningRate = o.LearningRate });
            var mirror = new Random(o.Seed * 100 + fold);
            var clock = Stopwatch.StartNew();
            var lastLine = Stopwatch.StartNew();
            var summaries = loop.Run(examples.Length, optimizer,
                idx =>
                {
                    head.train();
                    using var rows = tensor(idx.Select(e => examples[e]).ToArray());
                    using var imageIdx = rows.remainder(n);
                    var x = features.index_select(0, rows).to(ScalarType.Float32);
                    if (mirror.Next(2) == 1) x = x.flip(3);
                    var y = head.forward(x, male.index_select(0, imageIdx));
                    return nn.functional.l1_loss(y, months.index_select(0, imageIdx)) / BoneAgeHead.Spread;
                },
                validate: _ => Predict(head, features, male, test, n).Select((p, j) => Math.Abs(p.Mean - items[test[j]].Months)).Average(),
                progress: new Progress(p =>
                {
                    if (lastLine.ElapsedMilliseconds < 5000 && p.Batch != p.Batches) return;
                    lastLine.Restart();
                    log?.Report($"fold {fold + 1}/{o.Folds}  {p}");
                }),
                cancellation);
            var predictions = Predict(head, features, male, test, n);
            for (var j = 0; j < test.Length; j++) { oof[test[j]] = predictions[j].Mean; oofSpread[test[j]] = predictions[j].Spread; }
            var mad = test.Select((i, j) => Math.Abs(predictions[j].Mean - items[i].Months)).Average();
            foldResults.Add(new FoldReport(fold + 1, train.Length, test.Length, mad, clock.Elapsed.TotalSeconds,
                summaries.Average(s => s.Duration.TotalSeconds), summaries.Max(s => s.PeakWorkingSetBytes) / 1048576.0,
                summaries.Select(s => s.Validation).ToList()));
            log?.Report(string.Create(CultureInfo.InvariantCulture, $"fold {fold + 1}/{o.Folds}: MAD {mad:0.00} months on {test.Length} held-out images ({clock.Elapsed.TotalSeconds:0} s)"));
        }

        // 90 % interval half-width from the CV residuals; widened per image by the member spread.
        var residuals = Enumerable.Range(0, n).Select(i => Math.Abs(oof[i] - items[i].Months)).Order().ToArray();
        var q90 = residuals[Math.Min(n - 1, (int)Math.Ceiling(0.9 * n) - 1)];
        var cvPredictions = Enumerable.Range(0, n).Select(i =>
        {
            var half = Math.Sqrt(q90 * q90 + Math.Pow(1.645 * oofSpread[i], 2));
            return new BoneAgePrediction(items[i].Image, items[i].Male, items[i].Months, oof[i], oof[i] - half, oof[i] + half, oofSpread[i], null);
        }).ToList();
        var metrics = BoneAgeMetrics.Compute(cvPredictions);
        Directory.CreateDirectory(o.OutputDirectory);
        var plot = Path.Combine(o.OutputDirectory, "calibration-cv.png");
        CalibrationPlot.Write(plot, cvPredictions, string.Create(CultureInfo.InvariantCulture,
            $"{o.Folds}-fold CV, {n} radiographs: MAD {metrics.Mad:0.0} months, {metrics.Within12:P0} within 12"));

        var robustness = o.Robustness ? MeasureRobustness(items, folds, ensemble, cache, key, q90) : [];

        var card = WriteCard(ensemble, dataset, items.Count, metrics, foldResults, q90);
        return new BoneAgeTrainingReport
        {
            Card = card.CardPath,
            CalibrationPlot = plot,
            Images = n,
            Folds = foldResults,
            CrossValidation = metrics,
            Interval90HalfWidth = q90,
            Robustness = robustness,
            FeatureSeconds = extraction.Elapsed.TotalSeconds,
            TotalSeconds = total.Elapsed.TotalSeconds,
            Predictions = cvPredictions,
        };
    }

    private ResNet18Backbone Backbone() => _backbone ??= ResNet18Backbone.Load();

    // Mean and spread of a head over the original and mirrored copy of the given images.
    private static (double Mean, double Spread)[] Predict(BoneAgeHead head, Tensor features, Tensor male, int[] images, int n)
    {
        head.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var result = new (double, double)[images.Length];
        for (var start = 0; start < images.Length; start += 64)
        {
            var chunk = images.Skip(start).Take(64).Select(i => (long)i).ToArray();
            var idx = tensor(chunk);
            var sex = male.index_select(0, idx);
            var a = head.forward(features.index_select(0, idx).to(ScalarType.Float32), sex).data<float>().ToArray();
            var b = head.forward(features.index_select(0, idx).flip(3).to(ScalarType.Float32), sex).data<float>().ToArray();
            for (var j = 0; j < chunk.Length; j++) result[start + j] = ((a[j] + b[j]) / 2.0, Math.Abs(a[j] - b[j]) / 2.0);
        }
        return result;
    }

    private List<RobustnessReport> MeasureRobustness(List<LabelledRadiograph> allItems, int[] allFolds, BoneAgeEnsemble ensemble, string cache, string key, double q90)
    {
        // Every k-th image (each is scored by the head that did not train on it): one backbone pass per condition.
        var step = Math.Max(1, allItems.Count / Math.Max(1, _o.RobustnessImages));
        var pick = Enumerable.Range(0, allItems.Count).Where(i => i % step == 0).Take(_o.RobustnessImages).ToArray();
        var items = pick.Select(i => allItems[i]).ToList();
        var folds = pick.Select(i => allFolds[i]).ToArray();
        var n = items.Count;
        key = string.Create(CultureInfo.InvariantCulture, $"{key}-every{step}-n{n}");
        var reports = new List<RobustnessReport>();
        foreach (var (name, augmentation) in Conditions)
        {
            log?.Report($"robustness: {name}");
            var withheld = new string?[n];
            Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
            {
                using var gray = RadiographPreprocessing.Decode(items[i].Image);
                using var changed = RadiographPreprocessing.Apply(gray, augmentation);
                withheld[i] = RadiographChecks.Reason(changed);
            });
            using var f = FeatureCache.GetOrCompute(Path.Combine(cache, $"features-{key}-{name.Replace(' ', '_')}.bin"), items, _o.Size, _ => augmentation, Backbone, log);
            using var male = tensor(items.Select(x => x.Male ? 1f : 0f).ToArray());
            var predictions = new List<BoneAgePrediction>();
            for (var fold = 0; fold < _o.Folds; fold++)
            {
                var test = Enumerable.Range(0, n).Where(i => folds[i] == fold).ToArray();
                var p = Predict(ensemble.Heads[fold], f, male, test, n);
                for (var j = 0; j < test.Length; j++)
                {
                    var it = items[test[j]];
                    predictions.Add(new BoneAgePrediction(it.Image, it.Male, it.Months, p[j].Mean, p[j].Mean - q90, p[j].Mean + q90, p[j].Spread, withheld[test[j]]));
                }
            }
            var scored = BoneAgeMetrics.Compute(predictions);
            var all = BoneAgeMetrics.Compute(predictions.Select(p => p with { Withheld = null }).ToList());
            reports.Add(new RobustnessReport(name, n, scored.Mad, all.Mad, scored.Withheld / (double)n));
            log?.Report(string.Create(CultureInfo.InvariantCulture, $"robustness: {name}: MAD {scored.Mad:0.00} on scored images ({all.Mad:0.00} if none were withheld), withheld {scored.Withheld}/{n}"));
        }
        return reports;
    }

    private ModelCard WriteCard(BoneAgeEnsemble ensemble, BoneAgeDataset dataset, int images, BoneAgeMetrics cv, List<FoldReport> folds, double q90)
    {
        var o = _o;
        var metrics = new Dictionary<string, double>
        {
            ["cv_mad_months"] = Math.Round(cv.Mad, 3),
            ["cv_rmse_months"] = Math.Round(cv.Rmse, 3),
            ["cv_within_12_months"] = Math.Round(cv.Within12, 4),
            ["cv_mad_male"] = Math.Round(cv.MadBySex["male"], 3),
            ["cv_mad_female"] = Math.Round(cv.MadBySex["female"], 3),
        };
        foreach (var f in folds) metrics[$"fold{f.Fold}_mad_months"] = Math.Round(f.Mad, 3);
        var sizeDim = CardDimension.Fixed(o.Size / 32);
        return TrainedModelCard.Save(ensemble, o.OutputDirectory, new ModelCard
        {
            Id = ModelId,
            Version = "1.0.0",
            Task = "bone-age-regression",
            Description = string.Create(CultureInfo.InvariantCulture,
                $"RESEARCH MODEL, NOT FOR CLINICAL USE. Bone age from a hand radiograph: the ImageNet ResNet18 of NuGet Microsoft.ML.DnnImageFeaturizer.ResNet18 0.24.0 (frozen, sha256 {ResNet18Backbone.Sha256[..16]}..., run by TorchSharp at {o.Size} px; third-block map pooled beside the last block's map, 768 channels) and an ensemble of {o.Folds} trained heads (1x1 and 3x3 convolutions, attention pooling, sex) - this file holds the heads. Estimate: mean over heads and a mirrored copy; {o.Folds}-fold CV MAD {cv.Mad:0.0} months on {images} RSNA radiographs."),
            Inputs =
            [
                new CardTensor { Name = "features", ElementType = "float32", Shape = [CardDimension.Named("N"), CardDimension.Fixed(ResNet18Backbone.Channels), sizeDim, sizeDim],
                    Meaning = $"ResNet18 features of the preprocessed radiograph ({o.Size}x{o.Size}, BGR minus ImageNet mean): average-pooled ReLU347 beside ReLU393." },
                new CardTensor { Name = "male", ElementType = "float32", Shape = [CardDimension.Named("N")], Meaning = "1 male, 0 female." },
            ],
            Outputs = [new CardTensor { Name = "bone_age_months", ElementType = "float32", Shape = [CardDimension.Named("members"), CardDimension.Named("N")], Meaning = "Bone age in months per ensemble member; the estimate is their mean over the image and its mirror." }],
            Preprocessing = new CardPreprocessing
            {
                Width = o.Size, Height = o.Size, Layout = "NCHW", ChannelOrder = "BGR", Scale = 1, Mean = [103.06262, 115.90288, 123.15163], Std = [1, 1, 1], Resize = "letterbox",
                Steps = ["decode-gray(opencv)", "percentiles(low=1,high=99)", "letterbox(pad=0)", "gray-to-bgr"],
            },
            Postprocessing = new CardPostprocessing
            {
                Kind = "regression-months-ensemble",
                Description = "Mean over members and the mirrored image; 90 % interval = estimate +/- sqrt(interval_q90_months^2 + (1.645 * spread)^2); withheld when the image fails the radiograph checks.",
                Parameters = new Dictionary<string, double> { ["interval_q90_months"] = Math.Round(q90, 3), ["members"] = o.Folds },
            },
            IntendedUse = new CardIntendedUse
            {
                Summary = "Research and demonstration of training and evaluating a bone-age model in Vigil. NOT FOR CLINICAL USE.",
                NotForClinicalUse = true,
                Limitations =
                [
                    string.Create(CultureInfo.InvariantCulture, $"Trained on {images} RSNA 2017 radiographs downscaled to 512 px (8 % of the challenge set); CV MAD {cv.Mad:0.0} months, against 4.3 for the challenge winner."),
                    "Labels are the radiologists' bone age, not chronological age.",
                    "Needs the ResNet18 backbone from the NuGet cache (sha256 checked).",
                ],
            },
            Origin = new CardOrigin { Source = "Trained by `vigil boneage train` (Vigil.BoneAge.Training.BoneAgeTrainer).", Licence = "Heads: same as the Vigil repository; backbone: MIT (ML.NET); data: RSNA 2017 challenge terms (research and education)." },
            Training = new CardTraining
            {
                Dataset = $"rsna-999 ({dataset.Directory}), {images} images",
                DatasetSha256 = dataset.LabelsSha256,
                Split = $"{o.Folds}-fold CV stratified by age (seed {o.Seed}); member k was trained without fold k; figures are out-of-fold",
                Seed = o.Seed,
                Epochs = o.Epochs,
                Command = o.Command,
                Metrics = metrics,
                Notes = string.Create(CultureInfo.InvariantCulture, $"{1 + o.AugmentedCopies} copies per image (original and {o.AugmentedCopies} randomly augmented images: rotation +/-15 deg, zoom 0.9-1.1, gamma 0.8-1.25, mirror), each batch mirrored in feature space with probability 1/2; AdamW lr {o.LearningRate}, cosine, batch {o.BatchSize}, L1 loss."),
            },
        });
    }

    private sealed class Progress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
