namespace Vigil.Infrared.Blinks;

/// <summary>
/// Where a recording's labels sit on its frame clock. The thermal-eye README names three clocks (the
/// recording's name, the label file's name, t0 of the first frame); <see cref="EstimateOffset"/> finds the
/// offset that best fits the label-free blink evidence, and the study (docs/infrared.md, ## Blinks) shows
/// that neither name clock explains it: the labels count from the first frame, up to one small constant
/// lag common to all recordings. Evaluation therefore places labels with one constant estimated on the
/// training subjects only (<see cref="ConstantOffset"/>), never with an offset fitted to held-out labels.
/// </summary>
public static class LabelAlignment
{
    /// <summary>Candidate rule from the names: offset = label-file name time − recording name time (rejected by the data).</summary>
    public static double NameClockRule(ThermalEyeRecording recording)
    {
        ArgumentNullException.ThrowIfNull(recording);
        if (recording.LabelNameTime is not { } label || recording.NameTime is not { } name)
            throw new InvalidDataException($"{recording.Name}: the label file's or the recording's name carries no time, so the labels cannot be placed on the frame clock");
        return (label - name).TotalMilliseconds;
    }

    /// <summary>Offset (label-file start − first frame) from <c>t0</c> in meta.txt: the other candidate rule.</summary>
    public static double FirstFrameRule(ThermalEyeRecording recording)
    {
        ArgumentNullException.ThrowIfNull(recording);
        if (recording.LabelNameTime is not { } label || recording.FirstFrameTime is not { } t0)
            throw new InvalidDataException($"{recording.Name}: no label-file name time or t0");
        return (label - t0).TotalMilliseconds;
    }

    /// <summary>Labels moved onto the frame clock by one constant offset (frame time = label time + offset).</summary>
    public static IReadOnlyList<BlinkEvent> LabelsOnFrameClock(ThermalEyeRecording recording, double offsetMs) =>
        recording.Labels is { } labels
            ? labels.Select(l => l.Shift(offsetMs)).ToList()
            : throw new InvalidDataException($"{recording.Name}: no blinks.csv label file");

    /// <summary>The one constant offset that fits a set of (training) recordings: the median of their fitted offsets.</summary>
    public static double ConstantOffset(IEnumerable<double> fittedOffsetsMs)
    {
        var sorted = fittedOffsetsMs.Order().ToArray();
        if (sorted.Length == 0) throw new ArgumentException("no fitted offsets");
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>
    /// Agreement of a per-frame evidence trace with the labels shifted by each offset: the mean evidence
    /// inside the shifted labelled intervals minus the mean outside. Returns the agreement per offset.
    /// </summary>
    public static double[] Agreement(IReadOnlyList<double> timesMs, IReadOnlyList<double> evidence, IReadOnlyList<BlinkEvent> labels, IReadOnlyList<double> offsetsMs)
    {
        var result = new double[offsetsMs.Count];
        var sorted = labels.OrderBy(l => l.StartMs).ToArray();
        for (var k = 0; k < offsetsMs.Count; k++)
        {
            double inSum = 0, outSum = 0;
            int inN = 0, outN = 0, j = 0;
            for (var i = 0; i < timesMs.Count; i++)
            {
                var e = evidence[i];
                if (!double.IsFinite(e)) continue;
                var t = timesMs[i] - offsetsMs[k];
                while (j < sorted.Length && sorted[j].EndMs < t) j++;
                if (j < sorted.Length && sorted[j].StartMs <= t) { inSum += e; inN++; } else { outSum += e; outN++; }
            }
            result[k] = inN == 0 || outN == 0 ? double.NaN : inSum / inN - outSum / outN;
        }
        return result;
    }

    /// <summary>The offset in [<paramref name="fromMs"/>, <paramref name="toMs"/>] (step <paramref name="stepMs"/>) with the best <see cref="Agreement"/>.</summary>
    public static (double OffsetMs, double Agreement) EstimateOffset(IReadOnlyList<double> timesMs, IReadOnlyList<double> evidence, IReadOnlyList<BlinkEvent> labels,
        double fromMs = -12000, double toMs = 3000, double stepMs = 10)
    {
        var offsets = new List<double>();
        for (var o = fromMs; o <= toMs + 1e-9; o += stepMs) offsets.Add(o);
        var agreement = Agreement(timesMs, evidence, labels, offsets);
        var best = 0;
        for (var k = 1; k < agreement.Length; k++) if (agreement[k] > agreement[best] || double.IsNaN(agreement[best])) best = k;
        return (offsets[best], agreement[best]);
    }

    /// <summary>Per-frame blink score of a recording (<see cref="BlinkDetector.LastScore"/>), label-free.</summary>
    public static double[] EvidenceTrace(ThermalEyeRecording recording, BlinkDetectorOptions? options = null)
    {
        var detector = new BlinkDetector(options, recording.Name);
        var trace = new double[recording.Frames.Count];
        var i = 0;
        foreach (var f in recording.EyeFrames()) { detector.Push(f); trace[i++] = detector.LastScore; }
        return trace;
    }
}
