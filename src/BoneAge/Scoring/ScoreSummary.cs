using Vigil.Models.Cards;

namespace Vigil.BoneAge.Scoring;

/// <summary>What a scoring run did.</summary>
public sealed record ScoreSummary
{
    /// <summary>Input files considered.</summary>
    public int Total { get; init; }
    /// <summary>Images scored in this run.</summary>
    public int Scored { get; init; }
    /// <summary>Images that failed in this run (each has a row with the reason).</summary>
    public int Failed { get; init; }
    /// <summary>Images skipped because an earlier run already scored their sha256.</summary>
    public int Skipped { get; init; }
    /// <summary>Scored images whose |z| exceeded 2.</summary>
    public int Flagged { get; init; }
    /// <summary>Wall time of the run, seconds.</summary>
    public double ElapsedSeconds { get; init; }
    /// <summary>Images processed (scored or failed) per second.</summary>
    public double ImagesPerSecond { get; init; }
    /// <summary>The model.</summary>
    public required ModelProvenance Model { get; init; }
    /// <summary>True when every result carries the not-for-clinical-use label.</summary>
    public bool NotForClinicalUse { get; init; }
    /// <summary>Mean batch size the dynamic batcher achieved.</summary>
    public double MeanBatchSize { get; init; }
    /// <summary>Failure reasons by count.</summary>
    public IReadOnlyDictionary<string, int> FailureReasons { get; init; } = new Dictionary<string, int>();
    /// <summary>Path of report.csv.</summary>
    public string Report { get; init; } = "";
}
