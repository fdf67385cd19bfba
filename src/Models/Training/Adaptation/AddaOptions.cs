namespace Vigil.Models.Training.Adaptation;

/// <summary>
/// Settings of one ADDA run (Tzeng et al., CVPR 2017). Defaults follow the paper's digits protocol:
/// Adam with learning rate 2e-4 and beta1 0.5, batches of 128.
/// </summary>
public sealed class AddaOptions
{
    /// <summary>Seed of weight initialisation and batch sampling (default 1).</summary>
    public int Seed { get; init; } = 1;
    /// <summary>Examples per batch, per domain (default 128).</summary>
    public int BatchSize { get; init; } = 128;
    /// <summary>Optimiser steps of stage 1, supervised training of source encoder and classifier (default 1,000).</summary>
    public int SourceSteps { get; init; } = 1000;
    /// <summary>Learning rate of stage 1 (default 2e-4).</summary>
    public double SourceLearningRate { get; init; } = 2e-4;
    /// <summary>Steps of stage 2; each trains the discriminator once, then the target encoder once (default 4,000).</summary>
    public int AdversarialSteps { get; init; } = 4000;
    /// <summary>Learning rate of the target encoder in stage 2 (default 2e-4).</summary>
    public double TargetLearningRate { get; init; } = 2e-4;
    /// <summary>Learning rate of the domain discriminator in stage 2 (default 2e-4).</summary>
    public double DiscriminatorLearningRate { get; init; } = 2e-4;
    /// <summary>Adam's beta1 in both stages (default 0.5, as in the paper).</summary>
    public double Beta1 { get; init; } = 0.5;
    /// <summary>Width of the discriminator's two hidden layers (default 500, as in the paper).</summary>
    public int DiscriminatorHidden { get; init; } = 500;
    /// <summary>Report progress every this many steps (default 50).</summary>
    public int ReportEvery { get; init; } = 50;

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(SourceSteps, 0, nameof(SourceSteps));
        ArgumentOutOfRangeException.ThrowIfLessThan(AdversarialSteps, 0, nameof(AdversarialSteps));
        ArgumentOutOfRangeException.ThrowIfLessThan(DiscriminatorHidden, 1, nameof(DiscriminatorHidden));
        ArgumentOutOfRangeException.ThrowIfLessThan(ReportEvery, 1, nameof(ReportEvery));
        foreach (var (name, value) in new[] { (nameof(SourceLearningRate), SourceLearningRate), (nameof(TargetLearningRate), TargetLearningRate), (nameof(DiscriminatorLearningRate), DiscriminatorLearningRate) })
            if (!(value > 0) || double.IsInfinity(value))
                throw new ArgumentOutOfRangeException(name, value, "must be a positive finite number.");
        if (!(Beta1 >= 0 && Beta1 < 1))
            throw new ArgumentOutOfRangeException(nameof(Beta1), Beta1, "must be in [0, 1).");
    }
}
