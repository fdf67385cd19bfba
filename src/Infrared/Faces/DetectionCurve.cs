namespace Vigil.Infrared.Faces;

/// <summary>
/// Precision and recall of a detector over a set of images at every threshold. Matching is greedy
/// per image in descending score: a detection takes the unmatched labelled face it overlaps most,
/// if that IoU is at least <see cref="IoUThreshold"/>. Because the order is by score, the matches of
/// the detections above any threshold are the same as when matching only those, so one pass serves
/// every threshold.
/// </summary>
public sealed class DetectionCurve
{
    /// <summary>IoU a detection needs to count as finding a face.</summary>
    public const float IoUThreshold = 0.5f;

    private readonly List<(float Score, bool Hit)> _detections = [];

    /// <summary>Labelled faces seen so far.</summary>
    public int Faces { get; private set; }

    /// <summary>Adds one image's detections and labelled faces; returns the detections' hit flags in descending score.</summary>
    public IReadOnlyList<(ThermalFace Detection, bool Hit)> Add(IReadOnlyList<ThermalFace> detections, IReadOnlyList<ThermalFace> truth)
    {
        ArgumentNullException.ThrowIfNull(detections);
        ArgumentNullException.ThrowIfNull(truth);
        Faces += truth.Count;
        var (ordered, hits, _) = Match(detections, truth);
        var result = new List<(ThermalFace, bool)>(ordered.Count);
        for (var i = 0; i < ordered.Count; i++)
        {
            _detections.Add((ordered[i].Score, hits[i]));
            result.Add((ordered[i], hits[i]));
        }
        return result;
    }

    /// <summary>Which labelled faces of one image <paramref name="detections"/> find (the same greedy matching as the curve).</summary>
    public static bool[] Found(IReadOnlyList<ThermalFace> detections, IReadOnlyList<ThermalFace> truth)
    {
        ArgumentNullException.ThrowIfNull(detections);
        ArgumentNullException.ThrowIfNull(truth);
        return Match(detections, truth).Taken;
    }

    // Greedy in descending score: each detection takes the unmatched face it overlaps most at IoU >= IoUThreshold.
    private static (List<ThermalFace> Ordered, bool[] Hits, bool[] Taken) Match(IReadOnlyList<ThermalFace> detections, IReadOnlyList<ThermalFace> truth)
    {
        var taken = new bool[truth.Count];
        var ordered = detections.OrderByDescending(d => d.Score).ToList();
        var hits = new bool[ordered.Count];
        for (var i = 0; i < ordered.Count; i++)
        {
            int best = -1;
            float bestIoU = IoUThreshold;
            for (var t = 0; t < truth.Count; t++)
            {
                if (taken[t]) continue;
                var iou = ordered[i].IoU(truth[t]);
                if (iou >= bestIoU) { best = t; bestIoU = iou; }
            }
            if (best >= 0) taken[best] = true;
            hits[i] = best >= 0;
        }
        return (ordered, hits, taken);
    }

    /// <summary>Figures keeping detections scoring at least <paramref name="threshold"/>.</summary>
    public OperatingPoint At(double threshold)
    {
        int tp = 0, fp = 0;
        foreach (var (s, hit) in _detections)
            if (s >= threshold) { if (hit) tp++; else fp++; }
        return Point(threshold, tp, fp);
    }

    /// <summary>Every distinct operating point, from the highest threshold down.</summary>
    public IReadOnlyList<OperatingPoint> Points()
    {
        var sorted = _detections.OrderByDescending(d => d.Score).ToList();
        var points = new List<OperatingPoint>();
        int tp = 0, fp = 0;
        for (var i = 0; i < sorted.Count; i++)
        {
            if (sorted[i].Hit) tp++; else fp++;
            if (i + 1 < sorted.Count && sorted[i + 1].Score == sorted[i].Score) continue;
            points.Add(Point(sorted[i].Score, tp, fp));
        }
        return points;
    }

    /// <summary>The highest-recall point whose precision is at least <paramref name="minPrecision"/>; null when none is.</summary>
    public OperatingPoint? BestRecallAtPrecision(double minPrecision) =>
        Points().Where(p => p.Precision >= minPrecision).OrderByDescending(p => p.Recall).ThenByDescending(p => p.Precision).FirstOrDefault();

    /// <summary>The point with the highest F1 (the lowest threshold among ties); null without detections.</summary>
    public OperatingPoint? BestF1() => Points().OrderByDescending(p => p.F1).ThenBy(p => p.Threshold).FirstOrDefault();

    private OperatingPoint Point(double threshold, int tp, int fp) =>
        new(threshold, Faces == 0 ? 0 : tp / (double)Faces, tp + fp == 0 ? 1 : tp / (double)(tp + fp), tp, fp, Faces);
}
