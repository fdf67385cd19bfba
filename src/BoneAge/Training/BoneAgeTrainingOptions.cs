namespace Vigil.BoneAge.Training;

/// <summary>Settings of <c>vigil boneage train</c> (and the cross-validation of <c>eval --folds</c>).</summary>
public sealed record BoneAgeTrainingOptions
{
    /// <summary>The training folder (labels.csv + images/).</summary>
    public required string DataDirectory { get; init; }
    /// <summary>Where the card, weights, report and calibration plot go.</summary>
    public required string OutputDirectory { get; init; }
    /// <summary>Feature cache folder (default: vigil-boneage-cache in the temporary folder, never the repository).</summary>
    public string? CacheDirectory { get; init; }
    /// <summary>Cross-validation folds (default 5); the shipped model is the ensemble of the fold heads.</summary>
    public int Folds { get; init; } = 5;
    /// <summary>Seed of the folds, the augmentations and the weights.</summary>
    public int Seed { get; init; } = 1;
    /// <summary>Epochs per fold (default 30).</summary>
    public int Epochs { get; init; } = 30;
    /// <summary>
    /// Sides of the square network inputs in pixels, one backbone pass and one head per fold for each
    /// (default 384 and 448, the shipped model's); the estimate is the mean over scales.
    /// </summary>
    public IReadOnlyList<int> Sizes { get; init; } = [384, 448];
    /// <summary>Randomly augmented copies per image beside the original and its mirror (default 0, the shipped model's; each costs one backbone pass per scale).</summary>
    public int AugmentedCopies { get; init; }
    /// <summary>Batch size (default 32).</summary>
    public int BatchSize { get; init; } = 32;
    /// <summary>Peak learning rate (default 1e-3, AdamW, cosine).</summary>
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>Use only the first N images (tests); 0 for all.</summary>
    public int Limit { get; init; }
    /// <summary>Also measure the robustness conditions on the held-out images (costs one backbone pass per condition).</summary>
    public bool Robustness { get; init; }
    /// <summary>Images in the robustness report (spread over the set; default 100).</summary>
    public int RobustnessImages { get; init; } = 100;
    /// <summary>The command line, recorded in the card.</summary>
    public string Command { get; init; } = "";
}
