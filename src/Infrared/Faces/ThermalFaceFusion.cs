namespace Vigil.Infrared.Faces;

/// <summary>
/// Weighted box fusion of several views of one image (the mirrored image, another model): boxes
/// from all views, highest score first, join the first cluster whose fused box overlaps them above
/// an IoU; a cluster's box is the score-weighted mean of its members' corners and its score the sum
/// of its members' scores over the number of views, so a face that only one view sees is damped.
/// </summary>
public static class ThermalFaceFusion
{
    /// <summary>Fuses <paramref name="views"/> (each already suppressed on its own); boxes overlapping a cluster above <paramref name="iou"/> join it.</summary>
    public static List<ThermalFace> Fuse(IReadOnlyList<IReadOnlyList<ThermalFace>> views, float iou)
    {
        ArgumentNullException.ThrowIfNull(views);
        if (views.Count == 0) return [];
        var clusters = new List<List<ThermalFace>>();
        var fused = new List<ThermalFace>();
        foreach (var box in views.SelectMany(v => v).OrderByDescending(b => b.Score))
        {
            var best = -1;
            var bestIoU = iou;
            for (var i = 0; i < fused.Count; i++)
            {
                var o = fused[i].IoU(box);
                if (o > bestIoU) { bestIoU = o; best = i; }
            }
            if (best < 0)
            {
                clusters.Add([box]);
                fused.Add(box);
            }
            else
            {
                clusters[best].Add(box);
                fused[best] = Mean(clusters[best], 1);
            }
        }
        return clusters.ConvertAll(c => Mean(c, views.Count));
    }

    // Score-weighted mean corners; score = sum of scores / views (at most views boxes count).
    private static ThermalFace Mean(List<ThermalFace> boxes, int views)
    {
        float w = 0, x1 = 0, y1 = 0, x2 = 0, y2 = 0;
        foreach (var b in boxes)
        {
            var s = Math.Max(b.Score, 1e-6f);
            w += s; x1 += s * b.X; y1 += s * b.Y; x2 += s * (b.X + b.Width); y2 += s * (b.Y + b.Height);
        }
        var score = views == 1 ? boxes.Max(b => b.Score) : boxes.OrderByDescending(b => b.Score).Take(views).Sum(b => b.Score) / views;
        return ThermalFace.FromCorners(x1 / w, y1 / w, x2 / w, y2 / w, Math.Min(score, 1f));
    }

    /// <summary>The box mirrored left-right in an image <paramref name="imageWidth"/> pixels wide.</summary>
    public static ThermalFace Mirrored(ThermalFace face, float imageWidth) => face with { X = imageWidth - face.X - face.Width };
}
