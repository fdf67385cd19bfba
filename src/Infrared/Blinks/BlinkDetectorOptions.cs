namespace Vigil.Infrared.Blinks;

/// <summary>
/// Settings of <see cref="BlinkDetector"/>'s candidate stage. The defaults are what leave-one-subject-out
/// selection on the thermal-eye recordings chose in three of four folds (docs/infrared.md, ## Blinks): a low
/// threshold finds nearly every blink and the classifier drops the rest. <see cref="Validate"/> rejects nonsense.
/// </summary>
public sealed record BlinkDetectorOptions
{
    /// <summary>Time constant (s) of each pixel's slow baseline; a blink is a departure from it.</summary>
    public double BaselineSeconds { get; init; } = 1.0;

    /// <summary>Onset threshold: evidence above the noise level by this many noise deviations starts a blink.</summary>
    public double Threshold { get; init; } = 2.0;

    /// <summary>A blink ends when the evidence falls below <c>ReleaseFraction × Threshold</c> deviations (hysteresis).</summary>
    public double ReleaseFraction { get; init; } = 0.5;

    /// <summary>A departure also ends when the score falls below this fraction of its peak.</summary>
    public double PeakReleaseFraction { get; init; } = 0.25;

    /// <summary>Least noise deviation (°C RMS) a score is divided by: the sensor's 0.01 °C step, so a near-noiseless stream does not turn tiny drift into huge scores.</summary>
    public double NoiseFloorCelsius { get; init; } = 0.01;

    /// <summary>Time constant (s) of the running noise level and deviation of the evidence.</summary>
    public double NoiseSeconds { get; init; } = 20.0;

    /// <summary>Frames averaged into the evidence (≥ 1); damps single-frame sensor noise.</summary>
    public int SmoothFrames { get; init; } = 3;

    /// <summary>Shorter departures are dropped as noise.</summary>
    public double MinDurationMs { get; init; } = 100;

    /// <summary>Longer departures are not blinks (head motion, a changed scene): dropped, and the baseline restarts.</summary>
    public double MaxDurationMs { get; init; } = 4000;

    /// <summary>Two departures closer than this are one blink (a closure and its reopening).</summary>
    public double MergeGapMs { get; init; } = 200;

    /// <summary>No blink is reported in the first seconds, while baseline and noise level settle.</summary>
    public double WarmupSeconds { get; init; } = 3.0;

    /// <summary>Throws <see cref="ArgumentException"/> when a setting is out of range.</summary>
    public BlinkDetectorOptions Validate()
    {
        if (!(BaselineSeconds > 0) || !(NoiseSeconds > 0)) throw new ArgumentException("BaselineSeconds and NoiseSeconds must be positive");
        if (!(Threshold > 0)) throw new ArgumentException("Threshold must be positive");
        if (!(ReleaseFraction is > 0 and <= 1)) throw new ArgumentException("ReleaseFraction must be in (0, 1]");
        if (!(PeakReleaseFraction is >= 0 and < 1)) throw new ArgumentException("PeakReleaseFraction must be in [0, 1)");
        if (!(NoiseFloorCelsius > 0)) throw new ArgumentException("NoiseFloorCelsius must be positive");
        if (SmoothFrames < 1) throw new ArgumentException("SmoothFrames must be at least 1");
        if (!(MinDurationMs >= 0) || !(MaxDurationMs > MinDurationMs)) throw new ArgumentException("need 0 ≤ MinDurationMs < MaxDurationMs");
        if (!(MergeGapMs >= 0) || !(WarmupSeconds >= 0)) throw new ArgumentException("MergeGapMs and WarmupSeconds must not be negative");
        return this;
    }
}
