namespace Vigil.Infrared.Blinks;

/// <summary>Event counts of detections against labels, and precision, recall and F1 from them.</summary>
/// <param name="TruePositives">Detections matched to a labelled blink (one-to-one).</param>
/// <param name="FalsePositives">Detections matched to none.</param>
/// <param name="FalseNegatives">Labelled blinks matched to no detection.</param>
public readonly record struct EventCounts(int TruePositives, int FalsePositives, int FalseNegatives)
{
    /// <summary>TP / (TP + FP); 0 when nothing was detected.</summary>
    public double Precision => TruePositives + FalsePositives == 0 ? 0 : (double)TruePositives / (TruePositives + FalsePositives);

    /// <summary>TP / (TP + FN); 0 when nothing was labelled.</summary>
    public double Recall => TruePositives + FalseNegatives == 0 ? 0 : (double)TruePositives / (TruePositives + FalseNegatives);

    /// <summary>Harmonic mean of precision and recall (2TP / (2TP + FP + FN)).</summary>
    public double F1 => TruePositives == 0 ? 0 : 2.0 * TruePositives / (2.0 * TruePositives + FalsePositives + FalseNegatives);

    /// <summary>Sum of two counts.</summary>
    public static EventCounts operator +(EventCounts a, EventCounts b) =>
        new(a.TruePositives + b.TruePositives, a.FalsePositives + b.FalsePositives, a.FalseNegatives + b.FalseNegatives);
}

/// <summary>
/// Event-level matching: a detection counts for a labelled blink when it lies within
/// <c>toleranceMs</c> of it — the detection interval meets the labelled interval widened by the
/// tolerance on both sides — and each label takes at most one detection (one-to-one).
/// </summary>
public static class BlinkMatching
{
    /// <summary>The tolerance of the floor: ±300 ms.</summary>
    public const double DefaultToleranceMs = 300;

    /// <summary>Counts true positives, false positives and false negatives (both lists on the same clock).</summary>
    public static EventCounts Count(IReadOnlyList<BlinkEvent> detections, IReadOnlyList<BlinkEvent> labels, double toleranceMs = DefaultToleranceMs)
    {
        var tp = Matched(detections, labels, toleranceMs).Count(m => m);
        return new EventCounts(tp, detections.Count - tp, labels.Count - tp);
    }

    /// <summary>For each detection, whether the one-to-one matching pairs it with a labelled blink.</summary>
    public static bool[] Matched(IReadOnlyList<BlinkEvent> detections, IReadOnlyList<BlinkEvent> labels, double toleranceMs = DefaultToleranceMs)
    {
        // Candidate pairs sorted by how far apart they are (gap between intervals, then onset difference),
        // matched greedily: the closest pairs first, each event at most once.
        var pairs = new List<(double Gap, double Onset, int D, int L)>();
        for (var d = 0; d < detections.Count; d++)
            for (var l = 0; l < labels.Count; l++)
            {
                var gap = Math.Max(0, Math.Max(labels[l].StartMs - detections[d].EndMs, detections[d].StartMs - labels[l].EndMs));
                if (gap <= toleranceMs) pairs.Add((gap, Math.Abs(detections[d].StartMs - labels[l].StartMs), d, l));
            }
        pairs.Sort((a, b) => a.Gap != b.Gap ? a.Gap.CompareTo(b.Gap) : a.Onset.CompareTo(b.Onset));
        var usedD = new bool[detections.Count];
        var usedL = new bool[labels.Count];
        foreach (var (_, _, d, l) in pairs)
        {
            if (usedD[d] || usedL[l]) continue;
            usedD[d] = usedL[l] = true;
        }
        return usedD;
    }
}
