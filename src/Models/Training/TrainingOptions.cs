namespace Vigil.Models.Training;

/// <summary>Settings of one run of <see cref="TrainingLoop"/>. Defaults suit small heads.</summary>
public sealed class TrainingOptions
{
    /// <summary>Passes over the training examples (default 10).</summary>
    public int Epochs { get; init; } = 10;
    /// <summary>Examples per optimiser step (default 32); the last batch of an epoch may be smaller.</summary>
    public int BatchSize { get; init; } = 32;
    /// <summary>Seed of the example order (and, through <see cref="TorchDeterminism"/>, of weight initialisation).</summary>
    public int Seed { get; init; } = 1;
    /// <summary>Peak learning rate (default 1e-3).</summary>
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>When true (default) the learning rate follows a cosine from its peak to 2 % of it over the run.</summary>
    public bool CosineSchedule { get; init; } = true;

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Epochs, 1, nameof(Epochs));
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate))
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "must be a positive finite number.");
    }
}
