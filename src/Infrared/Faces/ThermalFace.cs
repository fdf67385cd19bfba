namespace Vigil.Infrared.Faces;

/// <summary>A face box in image pixels (top-left corner, size) with the detector's score in [0, 1].</summary>
/// <param name="X">Left edge, pixels.</param>
/// <param name="Y">Top edge, pixels.</param>
/// <param name="Width">Width, pixels.</param>
/// <param name="Height">Height, pixels.</param>
/// <param name="Score">Detector confidence; 1 for ground-truth boxes.</param>
public readonly record struct ThermalFace(float X, float Y, float Width, float Height, float Score)
{
    /// <summary>Intersection over union with <paramref name="other"/> (0 when either box is empty).</summary>
    public float IoU(ThermalFace other)
    {
        var w = Math.Min(X + Width, other.X + other.Width) - Math.Max(X, other.X);
        var h = Math.Min(Y + Height, other.Y + other.Height) - Math.Max(Y, other.Y);
        if (w <= 0 || h <= 0) return 0;
        var inter = w * h;
        var union = Width * Height + other.Width * other.Height - inter;
        return union <= 0 ? 0 : inter / union;
    }

    /// <summary>A box from corner coordinates.</summary>
    public static ThermalFace FromCorners(float x1, float y1, float x2, float y2, float score) => new(x1, y1, x2 - x1, y2 - y1, score);

    /// <summary>The same box with coordinates multiplied by (<paramref name="sx"/>, <paramref name="sy"/>).</summary>
    public ThermalFace Scaled(float sx, float sy) => new(X * sx, Y * sy, Width * sx, Height * sy, Score);

    /// <summary>Greedy non-maximum suppression: highest score first, dropping boxes that overlap a kept one above <paramref name="iou"/>.</summary>
    public static List<ThermalFace> Suppress(IEnumerable<ThermalFace> boxes, float iou)
    {
        var kept = new List<ThermalFace>();
        foreach (var b in boxes.OrderByDescending(b => b.Score))
            if (kept.TrueForAll(k => k.IoU(b) <= iou)) kept.Add(b);
        return kept;
    }
}
