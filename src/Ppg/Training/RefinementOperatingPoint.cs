using Vigil.Ppg.Tracking;

namespace Vigil.Ppg.Training;

/// <summary>One point of the refinement's risk-coverage curve on cross-fitted training predictions.</summary>
/// <param name="Threshold">Windows with a probability below it are withheld.</param>
/// <param name="Coverage">Share of recorded (not generated) training windows reported.</param>
/// <param name="MeanMaeReportedBpm">Mean over recorded training recordings of the MAE of their reported windows.</param>
/// <param name="GeneratedCoverage">Share of generated training windows reported (NaN without generated recordings).</param>
/// <param name="GeneratedMaeReportedBpm">Mean over generated recordings of the MAE of their reported windows (NaN without them).</param>
public sealed record RiskCoveragePoint(double Threshold, double Coverage, double MeanMaeReportedBpm, double GeneratedCoverage, double GeneratedMaeReportedBpm);

/// <summary>
/// The refinement's withholding threshold, chosen from the training windows only: the training
/// recordings are split by recording into folds, each fold's windows are scored by a model trained
/// on the other folds (cross-fitting, so the probabilities are as honest as on unseen data), and
/// the threshold is the one with the lowest error of reported windows among those that keep the
/// coverage targets — on the recorded windows and, separately, on the generated stress windows
/// (other devices and protocols), so a device the refinement doubts more still keeps most windows.
/// </summary>
/// <param name="Threshold">The chosen threshold.</param>
/// <param name="Chosen">Its point on the curve.</param>
/// <param name="Curve">Every candidate threshold's point.</param>
public sealed record RefinementOperatingPoint(double Threshold, RiskCoveragePoint Chosen, IReadOnlyList<RiskCoveragePoint> Curve)
{
    /// <summary>Candidate thresholds: 0.10 to 0.60 in steps of 0.025.</summary>
    public static IReadOnlyList<double> Candidates { get; } = Enumerable.Range(0, 21).Select(i => Math.Round(0.10 + 0.025 * i, 3)).ToArray();

    /// <summary>Prefix of the group names of generated recordings.</summary>
    public const string GeneratedPrefix = "generated:";

    /// <summary>Cross-fits <paramref name="examples"/> in <paramref name="folds"/> folds by group and chooses the threshold.</summary>
    public static RefinementOperatingPoint Choose(IReadOnlyList<RefinementExample> examples, RefinementTrainingOptions options, int folds = 4, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(options);
        var groups = examples.Select(e => e.Group).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (groups.Count < 2) throw new ArgumentException($"cross-fitting needs at least 2 recordings, got {groups.Count}.");
        folds = Math.Min(folds, groups.Count);
        // Recorded and generated groups are dealt to folds separately, so every fold holds some of each.
        var rng = new Random(options.Seed);
        var foldOf = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var kind in new[] { false, true })
        {
            var members = groups.Where(g => g.StartsWith(GeneratedPrefix, StringComparison.Ordinal) == kind).ToArray();
            rng.Shuffle(members);
            for (var i = 0; i < members.Length; i++) foldOf[members[i]] = i % folds;
        }
        var p = new double[examples.Count];
        for (var k = 0; k < folds; k++)
        {
            var train = examples.Where(e => foldOf[e.Group] != k).ToList();
            var held = Enumerable.Range(0, examples.Count).Where(i => foldOf[examples[i].Group] == k).ToList();
            if (held.Count == 0) continue;
            var model = RefinementTrainer.Train(train, options, $"cross-fit-{k}").Model;
            var scratch = new float[2 * model.MaxWidth];
            foreach (var i in held) p[i] = model.Probability(examples[i].Features, scratch);
            progress?.Report($"operating point: cross-fit fold {k + 1}/{folds} ({held.Count} windows)");
        }
        return FromProbabilities(examples, p, options);
    }

    /// <summary>The curve and the chosen threshold for given (cross-fitted) probabilities of <paramref name="examples"/>.</summary>
    public static RefinementOperatingPoint FromProbabilities(IReadOnlyList<RefinementExample> examples, IReadOnlyList<double> probabilities, RefinementTrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentNullException.ThrowIfNull(options);
        var curve = Candidates.Select(t => Point(examples, probabilities, t)).ToList();
        var feasible = curve.Where(c => (double.IsNaN(c.Coverage) || c.Coverage >= options.TargetCoverage)
                                        && (double.IsNaN(c.GeneratedCoverage) || c.GeneratedCoverage >= options.TargetGeneratedCoverage)).ToList();
        // Lowest error among thresholds that keep the coverage targets; none keeps them: the most permissive threshold.
        var chosen = feasible.Count > 0 ? feasible.MinBy(c => Objective(c))! : curve[0];
        return new RefinementOperatingPoint(chosen.Threshold, chosen, curve);
    }

    // Recorded and generated recordings weigh the same: error on the device at hand and on others.
    private static double Objective(RiskCoveragePoint c) =>
        double.IsNaN(c.GeneratedMaeReportedBpm) ? c.MeanMaeReportedBpm
        : double.IsNaN(c.MeanMaeReportedBpm) ? c.GeneratedMaeReportedBpm
        : 0.5 * (c.MeanMaeReportedBpm + c.GeneratedMaeReportedBpm);

    private static RiskCoveragePoint Point(IReadOnlyList<RefinementExample> examples, IReadOnlyList<double> p, double threshold)
    {
        var recorded = new Tally();
        var generated = new Tally();
        foreach (var g in Enumerable.Range(0, examples.Count).GroupBy(i => examples[i].Group, StringComparer.Ordinal))
        {
            var tally = g.Key.StartsWith(GeneratedPrefix, StringComparison.Ordinal) ? generated : recorded;
            int n = 0, shown = 0; double all = 0, err = 0;
            foreach (var i in g)
            {
                n++; all += examples[i].ErrorBpm;
                if (p[i] >= threshold) { shown++; err += examples[i].ErrorBpm; }
            }
            tally.Windows += n; tally.Reported += shown; tally.Recordings++;
            // A recording with nothing reported counts its all-window error (as the evaluation does).
            tally.MaeSum += shown > 0 ? err / shown : all / n;
        }
        return new RiskCoveragePoint(threshold, recorded.Coverage, recorded.Mae, generated.Coverage, generated.Mae);
    }

    private sealed class Tally
    {
        public int Windows, Reported, Recordings;
        public double MaeSum;
        public double Coverage => Windows == 0 ? double.NaN : (double)Reported / Windows;
        public double Mae => Recordings == 0 ? double.NaN : MaeSum / Recordings;
    }
}
