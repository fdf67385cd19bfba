namespace Vigil.Infrared.Thermal;

/// <summary>An axis-aligned rectangle of whole pixels (left, top, width, height).</summary>
/// <param name="X">Left column.</param>
/// <param name="Y">Top row.</param>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
public readonly record struct PixelRegion(int X, int Y, int Width, int Height)
{
    /// <summary>Number of pixels.</summary>
    public int Area => Math.Max(0, Width) * Math.Max(0, Height);
}
