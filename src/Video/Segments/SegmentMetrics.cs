namespace Vigil.Video.Segments;

/// <summary>
/// How predictions compare with ground truth: frame accuracy (a frame counts when its whole
/// predicted label set equals the true one) and segment F1 at an IoU threshold (each true segment
/// matched at most once, greedily by IoU, same label only).
/// </summary>
public static class SegmentMetrics
{
    /// <summary>Fraction of frames whose predicted label set (probability ≥ 0.5) equals the true set.</summary>
    public static double FrameAccuracy(float[][] scores, bool[][] truth)
    {
        if (scores.Length != truth.Length) throw new ArgumentException($"{scores.Length} scored frames, {truth.Length} labelled");
        if (scores.Length == 0) return double.NaN;
        var correct = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            var ok = true;
            for (var l = 0; l < truth[i].Length; l++) ok &= scores[i][l] >= 0.5 == truth[i][l];
            if (ok) correct++;
        }
        return correct / (double)scores.Length;
    }

    /// <summary>True positives, predicted count and true count at <paramref name="iou"/>.</summary>
    public static (int TruePositives, int Predicted, int Actual) Match(IReadOnlyList<ActionSegment> predicted, IReadOnlyList<ActionSegment> actual, double iou = 0.5)
    {
        var pairs = new List<(double IoU, int P, int A)>();
        for (var p = 0; p < predicted.Count; p++)
            for (var a = 0; a < actual.Count; a++)
            {
                var v = predicted[p].IoU(actual[a]);
                if (v >= iou) pairs.Add((v, p, a));
            }
        var usedP = new HashSet<int>();
        var usedA = new HashSet<int>();
        var tp = 0;
        foreach (var (_, p, a) in pairs.OrderByDescending(x => x.IoU))
            if (usedP.Add(p))
            {
                if (usedA.Add(a)) tp++;
                else usedP.Remove(p);
            }
        return (tp, predicted.Count, actual.Count);
    }

    /// <summary>F1 from summed counts (precision and recall over all clips).</summary>
    public static double F1(int truePositives, int predicted, int actual) =>
        predicted + actual == 0 ? double.NaN : 2.0 * truePositives / (predicted + actual);
}
