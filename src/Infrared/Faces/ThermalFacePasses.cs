namespace Vigil.Infrared.Faces;

/// <summary>
/// How the thermal face detector looks at an image: one pass at the card's size, or also a second
/// pass upscaled by <paramref name="Upscale"/> whose boxes narrower than <paramref name="UpscaleMaxWidth"/>
/// source pixels are merged with the first pass's before NMS. Stored in the card as the
/// postprocessing parameters <c>upscale</c> and <c>upscale_max_width</c>. With <paramref name="Flip"/>
/// (card parameter <c>flip</c> = 1) the mirrored image runs too and its un-mirrored boxes are fused
/// with the image's (<see cref="ThermalFaceFusion"/>).
/// </summary>
/// <param name="Upscale">Factor of the second pass; 1 for one pass.</param>
/// <param name="UpscaleMaxWidth">Widest box (source pixels) the second pass contributes; infinity for all.</param>
/// <param name="Flip">Also run the mirrored image (horizontal-flip test-time augmentation).</param>
public readonly record struct ThermalFacePasses(double Upscale, double UpscaleMaxWidth, bool Flip = false)
{
    /// <summary>One pass at the card's size.</summary>
    public static ThermalFacePasses Single { get; } = new(1, double.PositiveInfinity);

    /// <summary>The settings <see cref="ThermalFaceCalibration"/> chooses among on the validation split.</summary>
    public static IReadOnlyList<ThermalFacePasses> Candidates { get; } =
    [
        Single,
        new(2, double.PositiveInfinity), new(2, 32), new(2, 24), new(2, 16), new(2, 12),
        new(1.5, double.PositiveInfinity), new(1.5, 16),
    ];

    /// <inheritdoc />
    public override string ToString() =>
        (Upscale <= 1 ? "one pass" : $"+ x{Upscale:0.##} pass" + (double.IsPositiveInfinity(UpscaleMaxWidth) ? "" : $" (boxes < {UpscaleMaxWidth:0} px)"))
        + (Flip ? " + flip" : "");
}
