using OpenCvSharp;

namespace Vigil.Infrared.Faces;

/// <summary>How a thermal image is shown to an RGB face detector.</summary>
public enum ThermalPalette
{
    /// <summary>The image as stored (false-colour palette).</summary>
    AsIs,
    /// <summary>Grey (luminance of the palette), replicated to three channels.</summary>
    Grey,
    /// <summary>Grey, inverted (hot = dark, closer to skin in visible light).</summary>
    InvertedGrey,
}

/// <summary>A preprocessing setting for the RGB baselines: palette handling and an integer upscale.</summary>
/// <param name="Palette">Colour handling.</param>
/// <param name="Upscale">Integer upscale factor before the detector (1 or 2).</param>
public readonly record struct ThermalPreprocessing(ThermalPalette Palette, int Upscale)
{
    /// <summary>Every setting the baselines are tried with.</summary>
    public static IReadOnlyList<ThermalPreprocessing> All { get; } =
        [.. from p in Enum.GetValues<ThermalPalette>() from u in new[] { 1, 2 } select new ThermalPreprocessing(p, u)];

    /// <summary>A new BGR image with this setting applied to <paramref name="bgr"/>.</summary>
    public Mat Apply(Mat bgr)
    {
        var result = new Mat();
        if (Palette == ThermalPalette.AsIs) bgr.CopyTo(result);
        else
        {
            using var grey = new Mat();
            Cv2.CvtColor(bgr, grey, ColorConversionCodes.BGR2GRAY);
            if (Palette == ThermalPalette.InvertedGrey) Cv2.BitwiseNot(grey, grey);
            Cv2.CvtColor(grey, result, ColorConversionCodes.GRAY2BGR);
        }
        if (Upscale > 1) Cv2.Resize(result, result, new OpenCvSharp.Size(bgr.Width * Upscale, bgr.Height * Upscale), 0, 0, InterpolationFlags.Cubic);
        return result;
    }

    /// <inheritdoc />
    public override string ToString() => Palette switch
    {
        ThermalPalette.AsIs => "palette",
        ThermalPalette.Grey => "grey",
        _ => "inverted-grey",
    } + (Upscale > 1 ? $" x{Upscale}" : "");
}
