using Vigil.Infrared.Thermal;

namespace Vigil.Infrared.Breathing;

/// <summary>
/// Where the breathing signal is read, relative to the face box: the air under the nostrils and over the
/// upper lip, which warms on each exhalation and cools on each inhalation. Defaults (fractions of the
/// face box): columns 0.38–0.62 (between the nasal alae), rows 0.62–0.76 (below the nose tip, above the
/// mouth) for a frontal face whose box runs from the hairline to the chin. A face box that touches the
/// frame's border, or whose height/width ratio is outside 0.9–2.2, is refused (the region would be cut off
/// or misplaced): the sample counts as region lost. The mouth region (columns 0.30–0.70, rows 0.78–0.92)
/// is read beside it: fast changes there mean talking, which breaks the breathing rhythm.
/// </summary>
/// <param name="Left">Left edge as a fraction of the face width.</param>
/// <param name="Right">Right edge as a fraction of the face width.</param>
/// <param name="Top">Top edge as a fraction of the face height.</param>
/// <param name="Bottom">Bottom edge as a fraction of the face height.</param>
/// <param name="BorderMarginPixels">A face box closer than this to the frame's edge is refused.</param>
public sealed record NostrilRegionRule(double Left = 0.38, double Right = 0.62, double Top = 0.62, double Bottom = 0.76, int BorderMarginPixels = 1)
{
    /// <summary>The mouth region for <paramref name="face"/> (columns 0.30–0.70, rows 0.78–0.92 of the face box).</summary>
    public static PixelRegion MouthRegionFor(FaceBox face)
    {
        var x0 = (int)Math.Round(face.X + 0.30 * face.Width);
        var x1 = (int)Math.Round(face.X + 0.70 * face.Width);
        var y0 = (int)Math.Round(face.Y + 0.78 * face.Height);
        var y1 = (int)Math.Round(face.Y + 0.92 * face.Height);
        return new PixelRegion(x0, y0, Math.Max(1, x1 - x0), Math.Max(1, y1 - y0));
    }

    /// <summary>The region for <paramref name="face"/> on a <paramref name="width"/> × <paramref name="height"/> frame, or a reason why there is none.</summary>
    public (PixelRegion? Region, string? Refusal) RegionFor(FaceBox face, int width, int height)
    {
        if (face.Width <= 0 || face.Height <= 0) return (null, "empty face box");
        if (face.X < BorderMarginPixels || face.Y < BorderMarginPixels || face.X + face.Width > width - BorderMarginPixels || face.Y + face.Height > height - BorderMarginPixels)
            return (null, "face at the frame's edge");
        var ratio = face.Height / face.Width;
        if (ratio is < 0.9f or > 2.2f) return (null, $"face box shape {ratio:0.00} (height/width) is not a frontal face");
        var x0 = (int)Math.Round(face.X + Left * face.Width);
        var x1 = (int)Math.Round(face.X + Right * face.Width);
        var y0 = (int)Math.Round(face.Y + Top * face.Height);
        var y1 = (int)Math.Round(face.Y + Bottom * face.Height);
        if (x1 <= x0 || y1 <= y0) return (null, "face too small for a nostril region");
        return (new PixelRegion(x0, y0, x1 - x0, y1 - y0), null);
    }
}
