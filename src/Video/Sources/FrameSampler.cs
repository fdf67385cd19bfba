namespace Vigil.Video.Sources;

/// <summary>
/// Chooses frames at a configured rate from a stream of timestamps: a frame is kept when its
/// position reaches the next sample time, which then advances by one period (from the sample
/// time, not the frame time, so the average rate stays exact when the source rate is not a multiple).
/// </summary>
public sealed class FrameSampler
{
    // The period between kept frames.
    private readonly TimeSpan _period;
    // Position from which the next frame is kept; null before the first frame.
    private TimeSpan? _next;

    /// <summary>Creates a sampler keeping <paramref name="framesPerSecond"/> frames per second (0: every frame).</summary>
    public FrameSampler(double framesPerSecond)
    {
        if (double.IsNaN(framesPerSecond) || framesPerSecond < 0)
            throw new ArgumentOutOfRangeException(nameof(framesPerSecond), framesPerSecond, "sampling rate must be 0 (every frame) or positive");
        _period = framesPerSecond == 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(1 / framesPerSecond);
    }

    /// <summary>True when the frame at <paramref name="position"/> is to be kept.</summary>
    public bool Keep(TimeSpan position)
    {
        if (_period == TimeSpan.Zero) return true;
        if (_next is { } next && position < next) return false;
        var from = _next ?? position;
        // Skip whole periods the source jumped over (a gap in a live stream) rather than bursting.
        while (from + _period <= position) from += _period;
        _next = from + _period;
        return true;
    }
}
