namespace Vigil.Infrared.Training.Faces;

/// <summary>Settings of <c>vigil ir faces train</c>.</summary>
public sealed class ThermalFaceTrainingOptions
{
    /// <summary>The chips-format folder (images/ and labels/).</summary>
    public required string Data { get; init; }

    /// <summary>Folder the card (<c>{Id}.card.json</c>) and the ONNX file are written to.</summary>
    public required string OutDirectory { get; init; }

    /// <summary>Card id (default <c>ir-face-centernet</c>).</summary>
    public string Id { get; init; } = "ir-face-centernet";

    /// <summary>Seed of initialisation, example order and augmentation (default 15).</summary>
    public int Seed { get; init; } = 15;

    /// <summary>Passes over the training split (default 40).</summary>
    public int Epochs { get; init; } = 40;

    /// <summary>Images per optimiser step (default 16).</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Peak learning rate of AdamW (default 3e-3, cosine to 2 %).</summary>
    public double LearningRate { get; init; } = 3e-3;

    /// <summary>When positive, only the first N training and N/4 validation images are used (tests).</summary>
    public int Limit { get; init; }

    /// <summary>Network input width (default 160, the chips size).</summary>
    public int Width { get; init; } = 160;

    /// <summary>Network input height (default 120).</summary>
    public int Height { get; init; } = 120;

    /// <summary>Smallest random scale of the augmentation (default 0.75; lower gives more small faces).</summary>
    public double ScaleMin { get; init; } = 0.75;

    /// <summary>Largest random scale of the augmentation (default 1.35).</summary>
    public double ScaleMax { get; init; } = 1.35;

    /// <summary>Weight of the IoU box loss at centre cells, beside the L1 on offset and log-size (default 0: L1 only).
    /// L1 on offsets in cells weighs a one-pixel error the same for a 6 px and a 40 px face; 1 − IoU does not.</summary>
    public double IoULossWeight { get; init; }

    /// <summary>Card version written (default 1.0.0).</summary>
    public string Version { get; init; } = "1.0.0";

    /// <summary>The command line that reproduces the run, recorded in the card.</summary>
    public string Command { get; init; } = "";

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Epochs, 1, nameof(Epochs));
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        if (Width % Vigil.Infrared.Faces.ThermalFaceNetwork.Stride != 0 || Height % Vigil.Infrared.Faces.ThermalFaceNetwork.Stride != 0 || Width < 16 || Height < 16)
            throw new ArgumentException($"the input {Width}x{Height} must be at least 16x16 and divisible by {Vigil.Infrared.Faces.ThermalFaceNetwork.Stride}.");
        if (!(ScaleMin > 0.2 && ScaleMin <= ScaleMax && ScaleMax <= 3)) throw new ArgumentException($"the augmentation scale range {ScaleMin}..{ScaleMax} must lie within 0.2..3, smallest first.");
        if (!(IoULossWeight >= 0)) throw new ArgumentException($"the IoU loss weight {IoULossWeight} must be 0 or more.");
        if (!(LearningRate > 0)) throw new ArgumentException($"the learning rate {LearningRate} must be positive.");
    }
}
