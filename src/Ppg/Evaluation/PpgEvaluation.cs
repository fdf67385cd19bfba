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
public sealed record RecordingScore(string Name, int Windows, double MaeBpm, double? MaeOkBpm, double CoverageOk, IReadOnlyList<ScoredWindow> Scored);

/// <summary>Scores of a data set.</summary>
/// <param name="Recordings">Per-recording scores, by name.</param>
public sealed record PpgEvaluation(IReadOnlyList<RecordingScore> Recordings)
{
    /// <summary>Mean over recordings of per-recording MAE (BPM).</summary>
    public double MeanMaeBpm => Recordings.Count == 0 ? double.NaN : Recordings.Average(r => r.MaeBpm);
}
