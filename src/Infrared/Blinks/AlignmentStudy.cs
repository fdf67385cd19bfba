using System.Globalization;
using System.Text;

namespace Vigil.Infrared.Blinks;

/// <summary>One recording's row of the <see cref="AlignmentStudy"/>.</summary>
/// <param name="Name">Recording.</param>
/// <param name="FittedOffsetMs">Offset (label clock → frame clock) that best fits the blink evidence.</param>
/// <param name="NameRuleMs">Offset from the names (<see cref="LabelAlignment.NameClockRule"/>): label-file name time − recording name time.</param>
/// <param name="FirstFrameRuleMs">Offset from t0: label-file name time − first-frame time.</param>
/// <param name="AgreementFitted">Agreement at the fitted offset.</param>
/// <param name="AgreementNameRule">Agreement at the name-rule offset.</param>
/// <param name="AgreementZero">Agreement with no offset.</param>
/// <param name="AgreementFirstFrameRule">Agreement at the t0 offset.</param>
public sealed record AlignmentRow(string Name, double FittedOffsetMs, double NameRuleMs, double FirstFrameRuleMs,
    double AgreementFitted, double AgreementNameRule, double AgreementZero, double AgreementFirstFrameRule);

/// <summary>
/// How the label clock relates to the frame clock, found from the data: per recording, the offset that
/// maximises <see cref="LabelAlignment.Agreement"/> between the label-free blink score and the labels,
/// next to the candidate rules from the file-name clocks. Reads the labels: a study, not an evaluation.
/// </summary>
public static class AlignmentStudy
{
    /// <summary>
    /// The blink score the study reads: the detector's first settings (2 s baseline, onset at 4 noise deviations),
    /// fixed before any alignment or evaluation figure was seen, so the study does not move with the detector's tuning.
    /// </summary>
    public static BlinkDetectorOptions StudyOptions { get; } = new() { BaselineSeconds = 2, Threshold = 4 };

    /// <summary>Runs the study over labelled recordings (score from <see cref="StudyOptions"/> unless given).</summary>
    public static IReadOnlyList<AlignmentRow> Run(IReadOnlyList<ThermalEyeRecording> recordings, BlinkDetectorOptions? options = null)
    {
        options ??= StudyOptions;
        var rows = new AlignmentRow[recordings.Count];
        Parallel.For(0, recordings.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount / 2) }, i =>
        {
            var r = recordings[i];
            var labels = r.Labels ?? throw new InvalidDataException($"{r.Name}: no blinks.csv label file");
            var trace = LabelAlignment.EvidenceTrace(r, options);
            var (fitted, agreement) = LabelAlignment.EstimateOffset(r.TimestampsMs, trace, labels);
            var clock = LabelAlignment.NameClockRule(r);
            var first = LabelAlignment.FirstFrameRule(r);
            var at = LabelAlignment.Agreement(r.TimestampsMs, trace, labels, [clock, 0, first]);
            rows[i] = new AlignmentRow(r.Name, fitted, clock, first, agreement, at[0], at[1], at[2]);
        });
        return rows;
    }

    /// <summary>The rows as CSV plus summary lines (residual of each rule against the fitted offsets).</summary>
    public static string Format(IReadOnlyList<AlignmentRow> rows)
    {
        var sb = new StringBuilder("name,fitted_offset_ms,name_rule_ms,first_frame_rule_ms,agreement_fitted,agreement_name_rule,agreement_zero,agreement_first_frame_rule\n");
        foreach (var r in rows)
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Name},{r.FittedOffsetMs:0},{r.NameRuleMs:0},{r.FirstFrameRuleMs:0},{r.AgreementFitted:0.000},{r.AgreementNameRule:0.000},{r.AgreementZero:0.000},{r.AgreementFirstFrameRule:0.000}"));
        void Summary(string rule, Func<AlignmentRow, double> offset)
        {
            var res = rows.Select(r => r.FittedOffsetMs - offset(r)).Order().ToArray();
            var mae = res.Average(Math.Abs);
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"# fitted - {rule}: median {res[res.Length / 2]:0} ms, mean |.| {mae:0} ms, range {res[0]:0}..{res[^1]:0} ms, within ±150 ms: {res.Count(x => Math.Abs(x) <= 150)}/{res.Length}, within ±300 ms: {res.Count(x => Math.Abs(x) <= 300)}/{res.Length}"));
        }
        var constant = LabelAlignment.ConstantOffset(rows.Select(r => r.FittedOffsetMs));
        Summary(string.Create(CultureInfo.InvariantCulture, $"one constant ({constant:0} ms, the median)"), _ => constant);
        Summary("zero", _ => 0);
        Summary("name rule", r => r.NameRuleMs);
        Summary("t0 rule", r => r.FirstFrameRuleMs);
        return sb.ToString();
    }
}
