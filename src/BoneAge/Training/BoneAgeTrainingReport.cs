namespace Vigil.BoneAge.Training;

/// <summary>What <c>vigil boneage train</c> produced and measured.</summary>
public sealed record BoneAgeTrainingReport
{
    /// <summary>Path of the written card.</summary>
    public required string Card { get; init; }
    /// <summary>Path of the CV calibration plot.</summary>
    public required string CalibrationPlot { get; init; }
    /// <summary>Images used.</summary>
    public int Images { get; init; }
    /// <summary>Per-fold figures.</summary>
    public required IReadOnlyList<FoldReport> Folds { get; init; }
    /// <summary>Out-of-fold figures over all images.</summary>
    public required BoneAgeMetrics CrossValidation { get; init; }
    /// <summary>90th percentile of the out-of-fold absolute differences (interval half-width before spread).</summary>
    public double Interval90HalfWidth { get; init; }
    /// <summary>Robustness conditions (empty unless asked for).</summary>
    public IReadOnlyList<RobustnessReport> Robustness { get; init; } = [];
    /// <summary>Seconds spent computing (or reading) backbone features.</summary>
    public double FeatureSeconds { get; init; }
    /// <summary>Seconds for the whole run.</summary>
    public double TotalSeconds { get; init; }
    /// <summary>The out-of-fold predictions (not serialised in the summary JSON).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<BoneAgePrediction> Predictions { get; init; } = [];
}

/// <summary>One fold of the cross-validation.</summary>
/// <param name="Fold">1-based fold.</param>
/// <param name="Train">Training images.</param>
/// <param name="Test">Held-out images.</param>
/// <param name="Mad">MAD on the held-out images, months.</param>
/// <param name="Seconds">Training wall time.</param>
/// <param name="SecondsPerEpoch">Mean epoch time.</param>
/// <param name="PeakMiB">Peak working set of the process during training.</param>
/// <param name="MadByEpoch">Held-out MAD of the combined estimate after each epoch (monitoring only; never used to pick a model).</param>
/// <param name="MadBySize">Held-out MAD of each scale's head alone, by input side in pixels.</param>
public sealed record FoldReport(int Fold, int Train, int Test, double Mad, double Seconds, double SecondsPerEpoch, double PeakMiB, IReadOnlyList<double> MadByEpoch,
    IReadOnlyDictionary<string, double> MadBySize);

/// <summary>The out-of-fold evaluation under one perturbation.</summary>
/// <param name="Condition">The perturbation.</param>
/// <param name="Images">Images evaluated (a spread subset of the data set).</param>
/// <param name="Mad">MAD over the images that were scored.</param>
/// <param name="MadIfScoredAll">MAD had every image been scored (shows what withholding prevents).</param>
/// <param name="WithheldShare">Share of images withheld by the radiograph checks.</param>
public sealed record RobustnessReport(string Condition, int Images, double Mad, double MadIfScoredAll, double WithheldShare);
