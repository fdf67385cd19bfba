using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Vigil.Models.Cards;
using Vigil.Models.Training;
using Vigil.Ppg.Data;
using Vigil.Ppg.Evaluation;
using Vigil.Ppg.Tracking;

namespace Vigil.Ppg.Training;

/// <summary>What <see cref="RefinementTraining.Run"/> produced.</summary>
/// <param name="CardPath">The card written (null when only evaluating).</param>
/// <param name="Loso">Leave-one-subject-out scores of the tracker with the refinement (null when not asked).</param>
/// <param name="Baseline">The same recordings scored by the tracker without the refinement.</param>
/// <param name="TrainWindows">Windows the shipped model was trained on.</param>
public sealed record RefinementRun(string? CardPath, PpgEvaluation? Loso, PpgEvaluation Baseline, int TrainWindows);

/// <summary>
/// <c>vigil ppg train</c>: features from every recording in a folder (plus generated stress
/// recordings as augmentation), optionally a leave-one-subject-out evaluation (each recording's
/// model is trained on the other recordings and the generated ones, never on its own windows), then
/// the shipped model trained on all of it and written as a card with its provenance.
/// </summary>
public static class RefinementTraining
{
    /// <summary>Runs the training (and the leave-one-subject-out evaluation when <paramref name="loso"/>).</summary>
    public static RefinementRun Run(string dataDirectory, string? cardPath, RefinementTrainingOptions options, int generated, bool loso, TextWriter? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var log = progress is null ? null : new Progress<string>(progress.WriteLine);
        var names = PpgEvaluator.RecordingNames(dataDirectory);
        var recordings = names.ToDictionary(n => n, n => (Rec: PpgCsvReader.Read(Path.Combine(dataDirectory, n + ".csv")),
            Truth: ReferenceHeartRate.Read(Path.Combine(dataDirectory, n + ".bpm.csv"))));
        var perRecording = recordings.ToDictionary(kv => kv.Key, kv => RefinementDataset.FromRecording(kv.Value.Rec, kv.Value.Truth, kv.Key));
        progress?.WriteLine($"ppg train: {names.Count} recordings, {perRecording.Values.Sum(v => v.Count)} windows");
        var synthetic = generated > 0 ? RefinementDataset.Generated(generated, firstSeed: 1000, log) : [];
        var epochProgress = progress is null ? null : new EpochReporter(progress, options.Epochs);

        var baseline = Score(recordings, null);
        PpgEvaluation? losoScores = null;
        IReadOnlyList<double>? losoThresholds = null;
        if (loso)
        {
            var scores = new List<RecordingScore>();
            var thresholds = new List<double>();
            foreach (var held in names)
            {
                var train = perRecording.Where(kv => kv.Key != held).SelectMany(kv => kv.Value).Concat(synthetic).ToList();
                // The operating point comes from this fold's training recordings only.
                var point = RefinementOperatingPoint.Choose(train, options);
                var (model, _, _) = RefinementTrainer.Train(train, options, $"loso-without-{held}", withholdBelow: point.Threshold);
                thresholds.Add(point.Threshold);
                var rec = recordings[held];
                var results = PpgEvaluator.RunDirect(rec.Rec, PpgTrackerOptions.Default with { Refinement = model });
                var score = PpgEvaluator.Score(held, results, rec.Truth);
                scores.Add(score);
                progress?.WriteLine(FormattableString.Invariant(
                    $"ppg train: LOSO {held}: withhold below {point.Threshold:0.000}, MAE {score.MaeBpm:0.00} (reported {score.MaeReportedBpm ?? double.NaN:0.00}, coverage {score.Coverage:P1})"));
            }
            losoScores = new PpgEvaluation(scores);
            losoThresholds = thresholds;
        }

        string? written = null;
        var all = perRecording.Values.SelectMany(v => v).Concat(synthetic).ToList();
        if (cardPath is not null)
        {
            var point = RefinementOperatingPoint.Choose(all, options, progress: log);
            foreach (var c in point.Curve)
                progress?.WriteLine(FormattableString.Invariant(
                    $"ppg train: risk-coverage (cross-fitted) withhold below {c.Threshold:0.000}: recorded coverage {c.Coverage:P1} MAE {c.MeanMaeReportedBpm:0.000}, generated coverage {c.GeneratedCoverage:P1} MAE {c.GeneratedMaeReportedBpm:0.000}{(c.Threshold == point.Threshold ? "  <- chosen" : "")}"));
            var (_, weights, epochs) = RefinementTrainer.Train(all, options, "shipped", epochProgress, point.Threshold);
            written = WriteCard(cardPath, weights, options, generated, names, dataDirectory, recordings.Values.Select(v => v.Rec.Identity), epochs, losoScores, baseline, all.Count,
                point, losoThresholds);
            progress?.WriteLine($"ppg train: wrote {written}");
        }
        return new RefinementRun(written, losoScores, baseline, all.Count);
    }

    private static PpgEvaluation Score(Dictionary<string, (PpgRecording Rec, IReadOnlyList<ReferenceWindow> Truth)> recordings, PpgRefinementModel? model) =>
        new(recordings.Select(kv => PpgEvaluator.Score(kv.Key, PpgEvaluator.RunDirect(kv.Value.Rec, PpgTrackerOptions.Default with { Refinement = model }), kv.Value.Truth)).ToList());

    private static string WriteCard(string cardPath, byte[] weights, RefinementTrainingOptions options, int generated, IReadOnlyList<string> names,
        string dataDirectory, IEnumerable<string> identities, IReadOnlyList<EpochSummary> epochs, PpgEvaluation? loso, PpgEvaluation baseline, int windows,
        RefinementOperatingPoint point, IReadOnlyList<double>? losoThresholds)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(cardPath))!;
        var file = Path.GetFileName(cardPath);
        var id = file.EndsWith(".card.json", StringComparison.Ordinal) ? file[..^".card.json".Length] : Path.GetFileNameWithoutExtension(file);
        Directory.CreateDirectory(directory);
        var weightsFile = id + ".weights.json";
        File.WriteAllBytes(Path.Combine(directory, weightsFile), weights);
        var datasetHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", identities))));
        var metrics = new Dictionary<string, double>
        {
            ["train_windows"] = windows,
            ["final_train_bce"] = Math.Round(epochs[^1].TrainLoss, 4),
            ["baseline_mean_mae_bpm"] = Math.Round(baseline.MeanMaeBpm, 3),
            ["withhold_below"] = Math.Round(point.Threshold, 4),
        };
        // Cross-fitted figures of the chosen operating point (absent when a kind of recording is).
        void Add(string key, double value, int digits) { if (double.IsFinite(value)) metrics[key] = Math.Round(value, digits); }
        Add("crossfit_coverage", point.Chosen.Coverage, 4);
        Add("crossfit_mean_mae_reported_bpm", point.Chosen.MeanMaeReportedBpm, 3);
        Add("crossfit_generated_coverage", point.Chosen.GeneratedCoverage, 4);
        Add("crossfit_generated_mae_reported_bpm", point.Chosen.GeneratedMaeReportedBpm, 3);
        if (losoThresholds is { Count: > 0 })
        {
            metrics["loso_withhold_below_min"] = Math.Round(losoThresholds.Min(), 4);
            metrics["loso_withhold_below_max"] = Math.Round(losoThresholds.Max(), 4);
        }
        if (loso is not null)
        {
            metrics["loso_mean_mae_bpm"] = Math.Round(loso.MeanMaeBpm, 3);
            metrics["loso_mean_mae_reported_bpm"] = Math.Round(loso.MeanMaeReportedBpm, 3);
            metrics["loso_max_mae_reported_bpm"] = Math.Round(loso.MaxMaeReportedBpm, 3);
            metrics["loso_coverage"] = Math.Round(loso.Coverage, 4);
        }
        var card = new ModelCard
        {
            Id = id,
            Version = "1.2.0",
            Task = "ppg-heart-rate-confidence",
            Description = "Learned refinement of Vigil's spectral PPG heart-rate tracker: an MLP " +
                          $"({RefinementFeatures.Count}-{string.Join("-", options.HiddenLayers)}-1, ReLU, sigmoid) from the tracker's evidence " +
                          "about its own estimate to the probability that the estimate is within 5 BPM of the ECG reference. " +
                          "The tracker reports it as the window's confidence and withholds windows below the operating point " +
                          "(withhold_below in the weights), chosen on cross-fitted training predictions.",
            Inputs = [new CardTensor { Name = "features", ElementType = "float32", Shape = [CardDimension.Fixed(RefinementFeatures.Count)],
                Meaning = "per window: " + string.Join(", ", RefinementFeatures.Names) }],
            Outputs = [new CardTensor { Name = "p_within_5_bpm", ElementType = "float32", Shape = [CardDimension.Fixed(1)],
                Meaning = "probability that the tracker's estimate is within 5 BPM" }],
            IntendedUse = new CardIntendedUse
            {
                Summary = "Research demonstration of confidence estimation for wrist heart rate. NOT FOR CLINICAL USE.",
                NotForClinicalUse = true,
                Limitations = ["Trained on 12 treadmill recordings (SPC 2015 training set, one device) and generated recordings; other devices and activities are covered only by the generator.",
                               $"Weights format {PpgRefinementModel.WeightsFormat}, read by Vigil.Ppg.Tracking.PpgRefinementModel."],
            },
            Origin = new CardOrigin { Source = "vigil ppg train (Vigil.Ppg.Training, TorchSharp 0.107.0)", Licence = "Same as the Vigil repository; training data not redistributed" },
            Training = new CardTraining
            {
                Dataset = $"{Path.GetFileName(Path.TrimEndingDirectorySeparator(dataDirectory))} ({names.Count} recordings: {string.Join(' ', names)}) + {generated} generated stress recordings (seeds from 1000)",
                DatasetSha256 = datasetHash,
                Split = "shipped model: all windows; figures: leave-one-subject-out (each recording scored by a model trained without it)",
                Seed = options.Seed,
                Epochs = options.Epochs,
                Command = $"vigil ppg train --data {dataDirectory} --out {cardPath} --seed {options.Seed} --epochs {options.Epochs} --generated {generated}{(loso is null ? "" : " --loso")}",
                Metrics = metrics,
            },
        };
        TrainedModelCard.Write(directory, card, weightsFile);
        return Path.Combine(directory, id + ".card.json");
    }

    private sealed class EpochReporter(TextWriter output, int epochs) : IProgress<TrainingProgress>
    {
        private int _lastEpoch;
        public void Report(TrainingProgress value)
        {
            if (value.Batch != value.Batches || value.Epoch == _lastEpoch) return;
            _lastEpoch = value.Epoch;
            if (value.Epoch == 1 || value.Epoch == epochs || value.Epoch % 10 == 0)
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ppg train: {value}"));
        }
    }
}
