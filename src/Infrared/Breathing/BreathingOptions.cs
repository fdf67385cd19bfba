namespace Vigil.Infrared.Breathing;

/// <summary>
/// Windowing and withholding rules of the breathing-rate estimate. Defaults were set on generated
/// sequences of seeds 1–3 only (docs/infrared.md); tests score other seeds.
/// </summary>
public sealed record BreathingOptions
{
    /// <summary>Window length, s.</summary>
    public double WindowSeconds { get; init; } = 30;

    /// <summary>Time between window ends, s.</summary>
    public double HopSeconds { get; init; } = 2;

    /// <summary>Lowest rate searched, breaths/min.</summary>
    public double MinBpm { get; init; } = 4;

    /// <summary>Highest rate searched, breaths/min.</summary>
    public double MaxBpm { get; init; } = 60;

    /// <summary>Spectral grid step, breaths/min (the peak is refined between grid points).</summary>
    public double GridStepBpm { get; init; } = 0.25;

    /// <summary>Withhold when fewer of the window's expected frames carry a region temperature.</summary>
    public double MinTrackedFraction { get; init; } = 0.8;

    /// <summary>Withhold when the detrended signal's standard deviation is below this, °C (too weak to count breaths).</summary>
    public double MinAmplitudeCelsius { get; init; } = 0.03;

    /// <summary>Withhold when the peak holds less of the band's power than this.</summary>
    public double MinPeakShare { get; init; } = 0.3;

    /// <summary>Withhold when the power above the band exceeds this multiple of the band's power (talking, motion).</summary>
    public double MaxHighFrequencyRatio { get; init; } = 0.15;

    /// <summary>Withhold when the longest pause exceeds this multiple of the median breath interval: the rate would not be representative.</summary>
    public double MaxPauseToIntervalRatio { get; init; } = 2.0;

    /// <summary>Withhold when the mouth region's frame-to-frame change (RMS) exceeds this, °C (talking).</summary>
    public double MaxMouthActivityCelsius { get; init; } = 0.08;

    /// <summary>Withhold when the face centre's standard deviation over the window exceeds this share of the face width (head motion).</summary>
    public double MaxFaceMotion { get; init; } = 0.08;

    /// <summary>Checks the values; throws <see cref="ArgumentException"/> naming the first bad one.</summary>
    public BreathingOptions Validate()
    {
        if (!(WindowSeconds >= 8)) throw new ArgumentException($"breathing window must be at least 8 s, not {WindowSeconds}");
        if (!(HopSeconds > 0) || HopSeconds > WindowSeconds) throw new ArgumentException($"breathing hop must be in (0, window], not {HopSeconds}");
        if (!(MinBpm > 0) || !(MaxBpm > MinBpm)) throw new ArgumentException($"breathing band [{MinBpm}, {MaxBpm}] /min is not an increasing positive range");
        if (!(GridStepBpm > 0)) throw new ArgumentException($"grid step must be positive, not {GridStepBpm}");
        return this;
    }
}
