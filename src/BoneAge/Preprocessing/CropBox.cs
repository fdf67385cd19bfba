namespace Vigil.BoneAge.Preprocessing;

/// <summary>A rectangle in image pixels: columns [X, X+Width), rows [Y, Y+Height).</summary>
/// <param name="X">Left column.</param>
/// <param name="Y">Top row.</param>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
public readonly record struct CropBox(int X, int Y, int Width, int Height)
{
    /// <inheritdoc />
    public override string ToString() => $"{Width}x{Height}+{X}+{Y}";
}
