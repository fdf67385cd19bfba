namespace Vigil.Ppg.Evaluation;

/// <summary>One scored window: the pipeline's result beside the reference.</summary>
/// <param name="Recording">Recording name.</param>
/// <param name="Result">The pipeline's result for the window.</param>
/// <param name="ReferenceBpm">ECG-derived reference.</param>
public sealed record ScoredWindow(string Recording, PpgWindowResult Result, double ReferenceBpm)
{
    /// <summary>Absolute error in BPM.</summary>
    public double AbsoluteError => Math.Abs(Result.Bpm - ReferenceBpm);
}

/// <summary>Scores of one recording.</summary>
/// <param name="Name">Recording name.</param>
/// <param name="Windows">Number of scored windows (those listed in the reference file).</param>
/// <param name="MaeBpm">Mean absolute error over every scored window (the literature's protocol).</param>
/// <param name="MaeOkBpm">Mean absolute error over <c>ok</c> windows only; null when none is ok.</param>
/// <param name="CoverageOk">Fraction of scored windows whose status is <c>ok</c>.</param>
/// <param name="Scored">The scored windows, in order.</param>
public sealed record RecordingScore(string Name, int Windows, double MaeBpm, double? MaeOkBpm, double CoverageOk, IReadOnlyList<ScoredWindow> Scored)
{
    /// <summary>Fraction of scored windows not withheld (ok or low confidence): what a display shows.</summary>
    public double Coverage => Windows == 0 ? 0 : Scored.Count(s => s.Result.Status != PpgStatus.Withheld) / (double)Windows;

    /// <summary>Mean absolute error over the windows not withheld; null when every window was withheld.</summary>
    public double? MaeReportedBpm
    {
        get
        {
            var reported = Scored.Where(s => s.Result.Status != PpgStatus.Withheld).ToList();
            return reported.Count == 0 ? null : reported.Average(s => s.AbsoluteError);
        }
    }

    /// <summary>Windows withheld, by the first word of their reason (dropout, motion, lock, ...).</summary>
    public IReadOnlyDictionary<string, int> WithheldByReason => Scored
        .Where(s => s.Result.Status == PpgStatus.Withheld)
        .GroupBy(s => (s.Result.Reason ?? "unknown").Split(':')[0])
        .ToDictionary(g => g.Key, g => g.Count());
}

/// <summary>Scores of a data set.</summary>
/// <param name="Recordings">Per-recording scores, by name.</param>
public sealed record PpgEvaluation(IReadOnlyList<RecordingScore> Recordings)
{
    /// <summary>Mean over recordings of per-recording MAE (BPM).</summary>
    public double MeanMaeBpm => Recordings.Count == 0 ? double.NaN : Recordings.Average(r => r.MaeBpm);

    /// <summary>Mean over recordings of the MAE of reported (not withheld) windows; a recording with none reported counts its all-window MAE.</summary>
    public double MeanMaeReportedBpm => Recordings.Count == 0 ? double.NaN : Recordings.Average(r => r.MaeReportedBpm ?? r.MaeBpm);

    /// <summary>Share of all scored windows not withheld.</summary>
    public double Coverage => Recordings.Sum(r => r.Windows) == 0 ? 0
        : Recordings.Sum(r => r.Coverage * r.Windows) / Recordings.Sum(r => r.Windows);

    /// <summary>Largest per-recording MAE over reported windows.</summary>
    public double MaxMaeReportedBpm => Recordings.Count == 0 ? double.NaN : Recordings.Max(r => r.MaeReportedBpm ?? r.MaeBpm);
}
