namespace Vigil.Video.Segments;

/// <summary>One action in a video: the label, its start and end in seconds and a confidence (1 for ground truth).</summary>
/// <param name="Label">The action.</param>
/// <param name="StartSeconds">Start (inclusive).</param>
/// <param name="EndSeconds">End (exclusive).</param>
/// <param name="Confidence">Mean score over the segment (1 for ground truth).</param>
public sealed record ActionSegment(string Label, double StartSeconds, double EndSeconds, double Confidence = 1)
{
    /// <summary>Intersection over union of the two time intervals (0 for different labels).</summary>
    public double IoU(ActionSegment other)
    {
        if (other.Label != Label) return 0;
        var intersection = Math.Max(0, Math.Min(EndSeconds, other.EndSeconds) - Math.Max(StartSeconds, other.StartSeconds));
        var union = Math.Max(EndSeconds, other.EndSeconds) - Math.Min(StartSeconds, other.StartSeconds);
        return union <= 0 ? 0 : intersection / union;
    }

    /// <summary>True when the time <paramref name="seconds"/> lies in the segment.</summary>
    public bool Contains(double seconds) => seconds >= StartSeconds && seconds < EndSeconds;
}
