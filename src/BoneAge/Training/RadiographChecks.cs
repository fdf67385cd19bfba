using OpenCvSharp;

namespace Vigil.BoneAge.Training;

/// <summary>
/// Checks that decide whether an image may be scored at all: a hand radiograph has a dark
/// background around a brighter hand that fills a fair share of the picture. Inverted grey levels
/// (a MONOCHROME1 image read as MONOCHROME2) and images that are mostly empty or mostly bright are
/// withheld with the reason, rather than scored.
/// </summary>
public static class RadiographChecks
{
    /// <summary>The reason to withhold <paramref name="gray"/>, or null when it looks like a hand radiograph.</summary>
    public static string? Reason(Mat gray)
    {
        ArgumentNullException.ThrowIfNull(gray);
        if (gray.Cols < 64 || gray.Rows < 64) return $"image too small ({gray.Cols}x{gray.Rows}; at least 64x64)";
        var border = Math.Max(2, Math.Min(gray.Cols, gray.Rows) / 20);
        double Mean(Rect r) { using var roi = new Mat(gray, r); return Cv2.Mean(roi).Val0; }
        var edges = new[]
        {
            Mean(new Rect(0, 0, gray.Cols, border)), Mean(new Rect(0, gray.Rows - border, gray.Cols, border)),
            Mean(new Rect(0, 0, border, gray.Rows)), Mean(new Rect(gray.Cols - border, 0, border, gray.Rows)),
        };
        var centre = Mean(new Rect(gray.Cols / 4, gray.Rows / 4, gray.Cols / 2, gray.Rows / 2));
        var borderMean = edges.Average();
        if (borderMean > centre + 25)
            return $"background brighter than the centre (border {borderMean:0}, centre {centre:0}): inverted grey levels (MONOCHROME1 read as MONOCHROME2?) or not a hand radiograph";
        if (Math.Abs(centre - borderMean) < 4 && Cv2.Mean(gray).Val0 < 8)
            return "almost empty image: no hand found";
        return null;
    }
}
