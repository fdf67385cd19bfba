using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using Vigil.Models.Cards;
using Vigil.Models.Training;
using static TorchSharp.torch;

namespace Vigil.BoneAge.Training;

/// <summary>
/// Trains and cross-validates the bone-age model: the frozen ImageNet ResNet18 (features cached once
/// per augmentation copy at <see cref="BoneAgeTrainingOptions.Sizes"/>, one or more scales) and a <see cref="BoneAgeHead"/>
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
        if (o.Sizes.Count == 0 || o.Sizes.Any(s => s < 32 || s % 32 != 0) || o.Sizes.Distinct().Count() != o.Sizes.Count)
            throw new ArgumentOutOfRangeException(nameof(options), string.Join(',', o.Sizes), "--size must list distinct multiples of 32 pixels (e.g. 384,512).");
        var total = Stopwatch.StartNew();
        TorchSharpNative.EnsureLoaded();
        var dataset = BoneAgeDataset.Load(o.DataDirectory);
        var items = o.Limit > 0 ? dataset.Items.Take(o.Limit).ToList() : dataset.Items.ToList();
        if (items.Count < o.Folds * 2) throw new ArgumentOutOfRangeException(nameof(options), items.Count, $"{o.Folds} folds need at least {2 * o.Folds} images.");
        var folds = BoneAgeDataset.Folds(items, o.Folds, o.Seed);
        var cache = o.CacheDirectory ?? Path.Combine(Path.GetTempPath(), "vigil-boneage-cache");
        var n = items.Count;

        // Per scale, copy 0: as given; then copies of randomly augmented images (one backbone pass
        // each). Every batch is also mirrored in feature space with probability 1/2 (the backbone is
        // close to mirror-equivariant, so a mirror costs no backbone pass; it is also the test-time
        // augmentation). The cache is float16 on disk; in memory the maps are float32 and already
        // averaged 2x2 as the head would (the head's first step), so an epoch does not redo it.
        var extraction = Stopwatch.StartNew();
        var features = new List<Tensor>();
        foreach (var size in o.Sizes)
        {
            var key = CacheKey(dataset, n, size);
            var copies = new List<Tensor>();
            for (var c = 0; c < 1 + o.AugmentedCopies; c++)
            {
                var copy = c;
                var name = copy == 0 ? "original" : string.Create(CultureInfo.InvariantCulture, $"aug{copy}-seed{o.Seed}");
                log?.Report($"backbone features at {size} px, copy {copy + 1}/{1 + o.AugmentedCopies} ({name})");
                using var raw = FeatureCache.GetOrCompute(Path.Combine(cache, $"features-{key}-{name}.bin"), items, size,
                    i => copy == 0 ? RadiographAugmentation.None : RadiographAugmentation.Random(new Random(HashCode.Combine(o.Seed, copy, i))),
                    Backbone, log);
                copies.Add(BoneAgeHead.Prepool(raw));
            }
            features.Add(cat(copies, 0));
            foreach (var t in copies) t.Dispose();
        }
        extraction.Stop();
        using var male = tensor(items.Select(x => x.Male ? 1f : 0f).ToArray());
        using var months = tensor(items.Select(x => (float)x.Months).ToArray());
        var scales = o.Sizes.Count;
        var copiesPerImage = 1 + o.AugmentedCopies;

        // Seed before the heads are built: their initial weights come from libtorch's generator.
        TorchDeterminism.Seed(o.Seed);
        var ensemble = new BoneAgeEnsemble(o.Folds * scales);
        var foldResults = new List<FoldReport>();
        var oof = new double[n];
        var oofSpread = new double[n];
        for (var f = 0; f < o.Folds; f++)
        {
            var fold = f;
            var train = Enumerable.Range(0, n).Where(i => folds[i] != fold).ToArray();
            var test = Enumerable.Range(0, n).Where(i => folds[i] == fold).ToArray();
            var examples = Enumerable.Range(0, copiesPerImage).SelectMany(c => train.Select(i => (long)(c * n + i))).ToArray();
            TorchDeterminism.Seed(o.Seed * 100 + fold);
            // Member s * folds + k is scale s's head trained without fold k. The scales' heads are
            // independent (own parameters; AdamW is per parameter): one step trains each on the same batch.
            var heads = Enumerable.Range(0, scales).Select(s => ensemble.Heads[s * o.Folds + fold]).ToArray();
            var optimizer = optim.AdamW(heads.SelectMany(h => h.parameters()), lr: o.LearningRate, weight_decay: 1e-3);
            var loop = new TrainingLoop(new TrainingOptions { Epochs = o.Epochs, BatchSize = o.BatchSize, Seed = o.Seed * 100 + fold, LearningRate = o.LearningRate });
            var mirror = new Random(o.Seed * 100 + fold);
            var clock = Stopwatch.StartNew();
            var lastLine = Stopwatch.StartNew();
            var summaries = loop.Run(examples.Length, optimizer,
                idx =>
                {
                    using var rows = tensor(idx.Select(e => examples[e]).ToArray());
                    using var imageIdx = rows.remainder(n);
                    var flip = mirror.Next(2) == 1;
                    var sex = male.index_select(0, imageIdx);
                    var target = months.index_select(0, imageIdx);
                    Tensor? loss = null;
                    for (var s = 0; s < scales; s++)
                    {
                        heads[s].train();
                        var x = features[s].index_select(0, rows);
                        if (flip) x = x.flip(3);
                        var term = nn.functional.l1_loss(heads[s].forward(x, sex), target) / BoneAgeHead.Spread;
                        loss = loss is null ? term : loss + term;
                    }
                    return loss!;
                },
                validate: _ => Combine(Predict(heads, features, male, test)).Select((p, j) => Math.Abs(p.Mean - items[test[j]].Months)).Average(),
                progress: new Progress(p =>
                {
                    if (lastLine.ElapsedMilliseconds < 5000 && p.Batch != p.Batches) return;
                    lastLine.Restart();
                    log?.Report($"fold {fold + 1}/{o.Folds}  {p}");
                }),
                cancellation);
            var perScale = Predict(heads, features, male, test);
            var predictions = Combine(perScale);
            for (var j = 0; j < test.Length; j++) { oof[test[j]] = predictions[j].Mean; oofSpread[test[j]] = predictions[j].Spread; }
            var mad = test.Select((i, j) => Math.Abs(predictions[j].Mean - items[i].Months)).Average();
            var bySize = new Dictionary<string, double>();
            for (var s = 0; s < scales; s++)
                bySize[o.Sizes[s].ToString(CultureInfo.InvariantCulture)] = test.Select((i, j) => Math.Abs((perScale[s][j].A + perScale[s][j].B) / 2 - items[i].Months)).Average();
            foldResults.Add(new FoldReport(fold + 1, train.Length, test.Length, mad, clock.Elapsed.TotalSeconds,
                summaries.Average(s => s.Duration.TotalSeconds), summaries.Max(s => s.PeakWorkingSetBytes) / 1048576.0,
                summaries.Select(s => s.Validation).ToList(), bySize));
            log?.Report(string.Create(CultureInfo.InvariantCulture,
                $"fold {fold + 1}/{o.Folds}: MAD {mad:0.00} months on {test.Length} held-out images ({string.Join(", ", bySize.Select(kv => $"{kv.Key} px alone {kv.Value:0.00}"))}; {clock.Elapsed.TotalSeconds:0} s)"));
        }
        foreach (var t in features) t.Dispose();

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

        var robustness = o.Robustness ? MeasureRobustness(dataset, items, folds, ensemble, cache, q90) : [];

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

    private static string CacheKey(BoneAgeDataset dataset, int images, int size) =>
        string.Create(CultureInfo.InvariantCulture, $"{dataset.LabelsSha256[..12]}-n{images}-{size}px");

    private ResNet18Backbone Backbone() => _backbone ??= ResNet18Backbone.Load();

    // Per scale, each head's estimate of the given images as given (A) and mirrored (B).
    private static (double A, double B)[][] Predict(IReadOnlyList<BoneAgeHead> heads, IReadOnlyList<Tensor> features, Tensor male, int[] images)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var result = new (double, double)[heads.Count][];
        for (var s = 0; s < heads.Count; s++)
        {
            heads[s].eval();
            result[s] = new (double, double)[images.Length];
            for (var start = 0; start < images.Length; start += 64)
            {
                var chunk = images.Skip(start).Take(64).Select(i => (long)i).ToArray();
                var idx = tensor(chunk);
                var sex = male.index_select(0, idx);
                var a = heads[s].forward(features[s].index_select(0, idx), sex).data<float>().ToArray();
                var b = heads[s].forward(features[s].index_select(0, idx).flip(3), sex).data<float>().ToArray();
                for (var j = 0; j < chunk.Length; j++) result[s][start + j] = (a[j], b[j]);
            }
        }
        return result;
    }

    // The estimate: mean over scales and mirror; spread: their standard deviation.
    private static (double Mean, double Spread)[] Combine((double A, double B)[][] perScale) =>
        Enumerable.Range(0, perScale[0].Length).Select(j =>
        {
            var values = perScale.SelectMany(s => new[] { s[j].A, s[j].B }).ToArray();
            var mean = values.Average();
            return (mean, Math.Sqrt(values.Average(v => (v - mean) * (v - mean))));
        }).ToArray();

    private List<RobustnessReport> MeasureRobustness(BoneAgeDataset dataset, List<LabelledRadiograph> allItems, int[] allFolds, BoneAgeEnsemble ensemble, string cache, double q90)
    {
        // Every k-th image (each is scored by the heads that did not train on it): one backbone pass per condition and scale.
        var step = Math.Max(1, allItems.Count / Math.Max(1, _o.RobustnessImages));
        var pick = Enumerable.Range(0, allItems.Count).Where(i => i % step == 0).Take(_o.RobustnessImages).ToArray();
        var items = pick.Select(i => allItems[i]).ToList();
        var folds = pick.Select(i => allFolds[i]).ToArray();
        var n = items.Count;
        var reports = new List<RobustnessReport>();
        using var male = tensor(items.Select(x => x.Male ? 1f : 0f).ToArray());
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
            var features = _o.Sizes.Select(size =>
            {
                var key = string.Create(CultureInfo.InvariantCulture, $"{CacheKey(dataset, allItems.Count, size)}-every{step}-n{n}");
                using var raw = FeatureCache.GetOrCompute(Path.Combine(cache, $"features-{key}-{name.Replace(' ', '_')}.bin"), items, size, _ => augmentation, Backbone, log);
                return BoneAgeHead.Prepool(raw);
            }).ToList();
            var predictions = new List<BoneAgePrediction>();
            for (var fold = 0; fold < _o.Folds; fold++)
            {
                var test = Enumerable.Range(0, n).Where(i => folds[i] == fold).ToArray();
                if (test.Length == 0) continue;
                var heads = Enumerable.Range(0, _o.Sizes.Count).Select(s => ensemble.Heads[s * _o.Folds + fold]).ToArray();
                var p = Combine(Predict(heads, features, male, test));
                for (var j = 0; j < test.Length; j++)
                {
                    var it = items[test[j]];
                    predictions.Add(new BoneAgePrediction(it.Image, it.Male, it.Months, p[j].Mean, p[j].Mean - q90, p[j].Mean + q90, p[j].Spread, withheld[test[j]]));
                }
            }
            foreach (var t in features) t.Dispose();
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
        foreach (var size in o.Sizes.Select(s => s.ToString(CultureInfo.InvariantCulture)))
            metrics[$"cv_mad_{size}px_alone"] = Math.Round(folds.Sum(f => f.MadBySize[size] * f.Test) / folds.Sum(f => f.Test), 3);
        var largest = o.Sizes.Max();
        var sizes = string.Join(" and ", o.Sizes.Select(s => s.ToString(CultureInfo.InvariantCulture)));
        var sizeDim = o.Sizes.Count == 1 ? CardDimension.Fixed(largest / 32) : CardDimension.Named("grid");
        var parameters = new Dictionary<string, double> { ["interval_q90_months"] = Math.Round(q90, 3), ["members"] = o.Folds * o.Sizes.Count, ["scales"] = o.Sizes.Count };
        for (var s = 0; s < o.Sizes.Count; s++) parameters[string.Create(CultureInfo.InvariantCulture, $"size_{s + 1}_px")] = o.Sizes[s];
        return TrainedModelCard.Save(ensemble, o.OutputDirectory, new ModelCard
        {
            Id = ModelId,
            // 2.0.0: one head per fold and scale (session 4); 1.0.0 had one scale.
            Version = "2.0.0",
            Task = "bone-age-regression",
            Description = string.Create(CultureInfo.InvariantCulture,
                $"RESEARCH MODEL, NOT FOR CLINICAL USE. Bone age from a hand radiograph: the ImageNet ResNet18 of NuGet Microsoft.ML.DnnImageFeaturizer.ResNet18 0.24.0 (frozen, sha256 {ResNet18Backbone.Sha256[..16]}..., run by TorchSharp at {sizes} px; third-block map pooled beside the last block's map, 768 channels) and an ensemble of {o.Folds * o.Sizes.Count} trained heads ({o.Folds} folds x {o.Sizes.Count} scales; 1x1 and 3x3 convolutions, attention pooling, sex) - this file holds the heads. Estimate: mean over heads, scales and a mirrored copy; {o.Folds}-fold CV MAD {cv.Mad:0.0} months on {images} RSNA radiographs."),
            Inputs =
            [
                new CardTensor { Name = "features", ElementType = "float32", Shape = [CardDimension.Named("N"), CardDimension.Fixed(ResNet18Backbone.Channels), sizeDim, sizeDim],
                    Meaning = $"ResNet18 features of the preprocessed radiograph at each scale (S x S, S = {sizes}; BGR minus ImageNet mean): average-pooled ReLU347 beside ReLU393." },
                new CardTensor { Name = "male", ElementType = "float32", Shape = [CardDimension.Named("N")], Meaning = "1 male, 0 female." },
            ],
            Outputs = [new CardTensor { Name = "bone_age_months", ElementType = "float32", Shape = [CardDimension.Named("members"), CardDimension.Named("N")], Meaning = "Bone age in months per ensemble member; the estimate is their mean over the image and its mirror." }],
            Preprocessing = new CardPreprocessing
            {
                Width = largest, Height = largest, Layout = "NCHW", ChannelOrder = "BGR", Scale = 1, Mean = [103.06262, 115.90288, 123.15163], Std = [1, 1, 1], Resize = "letterbox",
                Steps = ["decode-gray(opencv)", "percentiles(low=1,high=99)", "letterbox(pad=0)", "gray-to-bgr", $"scales({string.Join(',', o.Sizes)})"],
            },
            Postprocessing = new CardPostprocessing
            {
                Kind = "regression-months-ensemble",
                Description = "Members are ordered scale by scale (size_k_px), one per fold within a scale; the estimate is the mean over members and the mirrored image, each scale's heads reading that scale's features; 90 % interval = estimate +/- sqrt(interval_q90_months^2 + (1.645 * spread)^2); withheld when the image fails the radiograph checks.",
                Parameters = parameters,
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
                Notes = string.Create(CultureInfo.InvariantCulture, $"{1 + o.AugmentedCopies} copies per image (original and {o.AugmentedCopies} randomly augmented images: rotation +/-15 deg, zoom 0.9-1.1, gamma 0.8-1.25, mirror), at each of {sizes} px, each batch mirrored in feature space with probability 1/2; AdamW lr {o.LearningRate}, cosine, batch {o.BatchSize}, L1 loss."),
            },
        });
    }

    private sealed class Progress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
