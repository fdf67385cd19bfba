using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vigil.Infrared.Blinks;

/// <summary>One held-out recording's figures in a leave-one-subject-out evaluation.</summary>
/// <param name="Name">Recording name.</param>
/// <param name="Group">normal, mild, severe or slow.</param>
/// <param name="Subject">The held-out subject.</param>
/// <param name="LabelOffsetMs">Offset that placed the labels on the frame clock (the constant fitted on the other subjects).</param>
/// <param name="Counts">Event counts.</param>
/// <param name="Options">Detector settings chosen on the other subjects.</param>
/// <param name="Classifier">Second stage fitted on the other subjects.</param>
public sealed record RecordingResult(string Name, string Group, string Subject, double LabelOffsetMs, EventCounts Counts, BlinkDetectorOptions Options, BlinkClassifier Classifier);

/// <summary>The outcome of <see cref="BlinkEvaluation.LeaveOneSubjectOut"/>.</summary>
/// <param name="Recordings">Per recording, in name order.</param>
/// <param name="ToleranceMs">Matching tolerance.</param>
/// <param name="Alignment">How labels were placed on the frame clock.</param>
public sealed record LosoResult(IReadOnlyList<RecordingResult> Recordings, double ToleranceMs, string Alignment)
{
    /// <summary>All recordings pooled.</summary>
    public EventCounts Overall => Recordings.Aggregate(default(EventCounts), (s, r) => s + r.Counts);

    /// <summary>Pooled per group.</summary>
    public IReadOnlyDictionary<string, EventCounts> ByGroup =>
        Recordings.GroupBy(r => r.Group).OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Aggregate(default(EventCounts), (s, r) => s + r.Counts));

    /// <summary>Pooled per held-out subject.</summary>
    public IReadOnlyDictionary<string, EventCounts> BySubject =>
        Recordings.GroupBy(r => r.Subject).OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Aggregate(default(EventCounts), (s, r) => s + r.Counts));

    /// <summary>The result as indented JSON (snake_case fields: precision, recall, f1, per group, subject and recording).</summary>
    public string ToJson()
    {
        static object Figures(EventCounts c) => new
        {
            precision = Math.Round(c.Precision, 4), recall = Math.Round(c.Recall, 4), f1 = Math.Round(c.F1, 4),
            tp = c.TruePositives, fp = c.FalsePositives, fn = c.FalseNegatives,
        };
        var o = Overall;
        var doc = new
        {
            evaluation = "leave-one-subject-out",
            tolerance_ms = ToleranceMs,
            alignment = Alignment,
            precision = Math.Round(o.Precision, 4), recall = Math.Round(o.Recall, 4), f1 = Math.Round(o.F1, 4),
            tp = o.TruePositives, fp = o.FalsePositives, fn = o.FalseNegatives,
            groups = ByGroup.ToDictionary(g => g.Key, g => Figures(g.Value)),
            subjects = BySubject.ToDictionary(g => g.Key, g => Figures(g.Value)),
            recordings = Recordings.Select(r => new
            {
                name = r.Name, group = r.Group, subject = r.Subject, label_offset_ms = r.LabelOffsetMs,
                precision = Math.Round(r.Counts.Precision, 4), recall = Math.Round(r.Counts.Recall, 4), f1 = Math.Round(r.Counts.F1, 4),
                tp = r.Counts.TruePositives, fp = r.Counts.FalsePositives, fn = r.Counts.FalseNegatives,
                chosen = Describe(r.Options, r.Classifier),
            }),
        };
        return JsonSerializer.Serialize(doc, new JsonSerializerOptions { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never });
    }

    /// <summary>Compact text of the settings a fold chose.</summary>
    public static string Describe(BlinkDetectorOptions o, BlinkClassifier? c = null) => string.Create(CultureInfo.InvariantCulture,
        $"baseline={o.BaselineSeconds}s threshold={o.Threshold} release={o.ReleaseFraction}")
        + (c is null ? "" : string.Create(CultureInfo.InvariantCulture, $" classifier w=[{string.Join(", ", c.Weights.Select(w => w.ToString("0.000", CultureInfo.InvariantCulture)))}] b={c.Bias:0.000} p>={c.Threshold}"));
}

/// <summary>
/// Leave-one-subject-out evaluation of <see cref="BlinkDetector"/> on labelled thermal-eye recordings:
/// for each subject, the candidate settings (from <see cref="Grid"/>) and the blink classifier
/// (<see cref="BlinkTraining.Fit"/>) are chosen and fitted on the other subjects' recordings only, by pooled
/// event F1, then applied to the held-out subject's recordings. Labels are placed on the frame clock by one
/// constant offset, the median of the offsets fitted on the other subjects' recordings
/// (<see cref="LabelAlignment.ConstantOffset"/>), never by an offset fitted to held-out labels.
/// </summary>
public static class BlinkEvaluation
{
    /// <summary>The candidate settings searched inside each fold.</summary>
    public static IReadOnlyList<BlinkDetectorOptions> Grid { get; } =
        (from baseline in new[] { 1.0, 2.0 }
         from threshold in new[] { 2.0, 2.5, 3.0 }
         select new BlinkDetectorOptions { BaselineSeconds = baseline, Threshold = threshold }).ToList();

    /// <summary>Runs the evaluation; every recording needs labels. <paramref name="progress"/> gets one line per fold.</summary>
    public static LosoResult LeaveOneSubjectOut(IReadOnlyList<ThermalEyeRecording> recordings, IReadOnlyList<BlinkDetectorOptions>? grid = null,
        double toleranceMs = BlinkMatching.DefaultToleranceMs, TextWriter? progress = null)
    {
        grid ??= Grid;
        if (recordings.Count == 0) throw new ArgumentException("no recordings to evaluate");
        var subjects = recordings.Select(r => r.Subject).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (subjects.Count < 2) throw new ArgumentException($"leave-one-subject-out needs at least two subjects, got {subjects.Count}");

        // Label-free evidence against labels per recording; a fold uses only its training recordings' offsets.
        var fitted = AlignmentStudy.Run(recordings).Select(a => a.FittedOffsetMs).ToArray();
        var offsets = subjects.ToDictionary(s => s, s => LabelAlignment.ConstantOffset(
            recordings.Select((r, i) => (r, i)).Where(x => x.r.Subject != s).Select(x => fitted[x.i])), StringComparer.Ordinal);

        // Candidates of every grid setting on every recording, computed once (they do not depend on labels).
        var candidates = new IReadOnlyList<BlinkCandidate>[grid.Count, recordings.Count];
        Parallel.For(0, grid.Count * recordings.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount / 2) }, k =>
        {
            int g = k / recordings.Count, r = k % recordings.Count;
            candidates[g, r] = BlinkDetector.Candidates(recordings[r].EyeFrames(), grid[g], recordings[r].Name);
        });

        var results = new RecordingResult[recordings.Count];
        foreach (var subject in subjects)
        {
            var labels = recordings.Select(r => LabelAlignment.LabelsOnFrameClock(r, offsets[subject])).ToList();
            var train = Enumerable.Range(0, recordings.Count).Where(r => recordings[r].Subject != subject).ToList();
            var (best, bestClassifier, bestF1) = (0, (BlinkClassifier?)null, -1.0);
            for (var g = 0; g < grid.Count; g++)
            {
                var classifier = BlinkTraining.Fit(train.Select(r => new BlinkTraining.Example(candidates[g, r], labels[r])).ToList(), toleranceMs);
                var pooled = train.Aggregate(default(EventCounts), (sum, r) => sum + BlinkMatching.Count(Keep(candidates[g, r], classifier), labels[r], toleranceMs));
                if (pooled.F1 > bestF1) (best, bestClassifier, bestF1) = (g, classifier, pooled.F1);
            }
            var fold = default(EventCounts);
            for (var r = 0; r < recordings.Count; r++)
            {
                if (recordings[r].Subject != subject) continue;
                var counts = BlinkMatching.Count(Keep(candidates[best, r], bestClassifier!), labels[r], toleranceMs);
                results[r] = new RecordingResult(recordings[r].Name, recordings[r].Group, subject, offsets[subject], counts, grid[best], bestClassifier!);
                fold += counts;
            }
            progress?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"fold {subject}: label offset {offsets[subject]:0} ms, chose {LosoResult.Describe(grid[best], bestClassifier)} (training F1 {bestF1:0.000}), held-out F1 {fold.F1:0.000}"));
        }
        return new LosoResult(results, toleranceMs, "frame time = label time + one constant offset (median of the offsets fitted on the training subjects)");
    }

    /// <summary>Fits the shipped classifier on all recordings (after the LOSO figures, for <see cref="BlinkClassifier.Default"/>).</summary>
    public static (BlinkDetectorOptions Options, BlinkClassifier Classifier, EventCounts TrainingCounts) FitAll(IReadOnlyList<ThermalEyeRecording> recordings,
        BlinkDetectorOptions options, double toleranceMs = BlinkMatching.DefaultToleranceMs)
    {
        var fitted = AlignmentStudy.Run(recordings).Select(a => a.FittedOffsetMs);
        var offset = LabelAlignment.ConstantOffset(fitted);
        var examples = recordings.Select(r => new BlinkTraining.Example(BlinkDetector.Candidates(r.EyeFrames(), options, r.Name), LabelAlignment.LabelsOnFrameClock(r, offset))).ToList();
        var classifier = BlinkTraining.Fit(examples, toleranceMs);
        var counts = examples.Aggregate(default(EventCounts), (s, e) => s + BlinkMatching.Count(Keep(e.Candidates, classifier), e.Labels, toleranceMs));
        return (options, classifier, counts);
    }

    private static List<BlinkEvent> Keep(IReadOnlyList<BlinkCandidate> candidates, BlinkClassifier classifier) =>
        candidates.Where(c => classifier.Accepts(c.Features)).Select(c => c.Event).ToList();
}
