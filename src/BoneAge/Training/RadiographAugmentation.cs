namespace Vigil.BoneAge.Training;

/// <summary>
/// A geometric and photometric change applied to a radiograph before the backbone: for training
/// copies, test-time augmentation and the robustness report.
/// </summary>
/// <param name="RotationDegrees">Rotation about the centre, counter-clockwise.</param>
/// <param name="Scale">Zoom about the centre (1 = none).</param>
/// <param name="FlipHorizontal">Mirror left-right.</param>
/// <param name="Invert">Invert grey levels (a MONOCHROME1 image read as MONOCHROME2).</param>
/// <param name="Gamma">Contrast change as a gamma on 0..1 grey levels (1 = none).</param>
/// <param name="Downscale">Resolution factor applied before the model's resize (0.5 = half resolution).</param>
public sealed record RadiographAugmentation(double RotationDegrees = 0, double Scale = 1, bool FlipHorizontal = false,
    bool Invert = false, double Gamma = 1, double Downscale = 1)
{
    /// <summary>No change.</summary>
    public static RadiographAugmentation None { get; } = new();

    /// <summary>A random training augmentation: rotation ±15°, zoom 0.9-1.1, gamma 0.8-1.25, mirrored with probability 1/2.</summary>
    public static RadiographAugmentation Random(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return new RadiographAugmentation(
            RotationDegrees: (random.NextDouble() * 2 - 1) * 15,
            Scale: 0.9 + random.NextDouble() * 0.2,
            FlipHorizontal: random.Next(2) == 1,
            Gamma: Math.Exp((random.NextDouble() * 2 - 1) * Math.Log(1.25)));
    }
}
