namespace Vigil.Imaging;

/// <summary>A VOI window (DICOM Window Center/Width, PS3.3 C.11.2.1.2) in modality units.</summary>
/// <param name="Center">Window centre.</param>
/// <param name="Width">Window width (≥ 1).</param>
public readonly record struct VoiWindow(double Center, double Width)
{
    /// <summary>Lowest value shown (maps to black).</summary>
    public double Low => Center - 0.5 - (Width - 1) / 2;

    /// <summary>Highest value shown (maps to white).</summary>
    public double High => Center - 0.5 + (Width - 1) / 2;
}
