namespace Vigil.Video.Segments;

/// <summary>
/// Per-frame label probabilities → action segments. For each label a segment opens when the
/// probability reaches <see cref="On"/> and closes when it falls below <see cref="Off"/> (hysteresis:
/// a score hovering near one threshold does not flicker); segments shorter than
/// <see cref="MinimumFrames"/> are dropped. Confidence is the segment's mean probability.
/// </summary>
public sealed record HysteresisSegmenter(double On = 0.6, double Off = 0.4, int MinimumFrames = 3)
{
    /// <summary>The segments, ordered by start then label; frame i covers [i/fps, (i+1)/fps).</summary>
    public IReadOnlyList<ActionSegment> Segment(float[][] scores, IReadOnlyList<string> labels, double framesPerSecond)
    {
        if (!(Off <= On)) throw new ArgumentException($"hysteresis needs off ({Off}) <= on ({On})");
        var segments = new List<ActionSegment>();
        for (var l = 0; l < labels.Count; l++)
        {
            int? start = null;
            double sum = 0;
            for (var i = 0; i <= scores.Length; i++)
            {
                var p = i < scores.Length ? scores[i][l] : double.NegativeInfinity;
                if (start is null)
                {
                    if (p >= On)
                    {
                        start = i;
                        sum = p;
                    }
                }
                else if (p < Off)
                {
                    if (i - start.Value >= MinimumFrames)
                        segments.Add(new ActionSegment(labels[l], start.Value / framesPerSecond, i / framesPerSecond, sum / (i - start.Value)));
                    start = null;
                }
                else sum += p;
            }
        }
        return segments.OrderBy(s => s.StartSeconds).ThenBy(s => s.Label, StringComparer.Ordinal).ToList();
    }
}
