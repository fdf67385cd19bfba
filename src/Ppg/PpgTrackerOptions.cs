namespace Vigil.Ppg;

/// <summary>
/// Settings of the per-patient heart-rate tracker. Defaults follow the literature's protocol
/// (8 s windows every 2 s) and physiology (adult heart rate 40-220 BPM); none is fitted per recording.
/// </summary>
public sealed record PpgTrackerOptions
{
    /// <summary>Window length in seconds (default 8). Must be a multiple of <see cref="HopSeconds"/>.</summary>
    public double WindowSeconds { get; init; } = 8;

    /// <summary>Hop between window starts in seconds (default 2): window i covers [i·hop, i·hop + window).</summary>
    public double HopSeconds { get; init; } = 2;

    /// <summary>Lowest heart rate the tracker considers (BPM).</summary>
    public double MinBpm { get; init; } = 40;

    /// <summary>Highest heart rate the tracker considers (BPM).</summary>
    public double MaxBpm { get; init; } = 220;

    /// <summary>Confidence below which an estimate is reported as <see cref="PpgStatus.LowConfidence"/>.</summary>
    public double LowConfidenceThreshold { get; init; } = 0.5;

    /// <summary>Confidence below which an estimate taken during strong motion is withheld.</summary>
    public double WithholdConfidenceThreshold { get; init; } = 0.2;

    /// <summary>
    /// The learned refinement (<see cref="Tracking.PpgRefinementModel"/>); null (default) runs the spectral
    /// tracker alone. With it, a window's confidence is the model's probability that the estimate is
    /// within 5 BPM, and windows below <see cref="RefinedWithholdProbability"/> are withheld.
    /// </summary>
    public Tracking.PpgRefinementModel? Refinement { get; init; }

    /// <summary>
    /// With a refinement: probability below which a window is withheld. Null (default): the model's
    /// own operating point (<see cref="Tracking.PpgRefinementModel.WithholdBelow"/>, chosen in training),
    /// or <see cref="DefaultRefinedWithholdProbability"/> for a model without one.
    /// </summary>
    public double? RefinedWithholdProbability { get; init; }

    /// <summary>Withholding threshold for a refinement that carries no operating point of its own.</summary>
    public const double DefaultRefinedWithholdProbability = 0.2;

    /// <summary>With a refinement: probability below which a window is low-confidence (default 0.6).</summary>
    public double RefinedLowProbability { get; init; } = 0.6;

    /// <summary>The defaults.</summary>
    public static PpgTrackerOptions Default { get; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> naming the first inconsistent setting.</summary>
    public void Validate()
    {
        if (!(HopSeconds > 0) || !(WindowSeconds >= HopSeconds))
            throw new ArgumentException($"PPG window ({WindowSeconds} s) must be ≥ hop ({HopSeconds} s) > 0.");
        var ratio = WindowSeconds / HopSeconds;
        if (Math.Abs(ratio - Math.Round(ratio)) > 1e-9 || ratio > 16)
            throw new ArgumentException($"PPG window ({WindowSeconds} s) must be a whole multiple (≤ 16) of the hop ({HopSeconds} s).");
        var hopSamples = HopSeconds * InternalRate.Hz;
        if (Math.Abs(hopSamples - Math.Round(hopSamples)) > 1e-9)
            throw new ArgumentException($"PPG hop ({HopSeconds} s) must be a multiple of 1/{InternalRate.Hz} s.");
        if (WindowSeconds * InternalRate.Hz > InternalRate.FftSize / 2)
            throw new ArgumentException($"PPG window ({WindowSeconds} s) is longer than the tracker supports ({InternalRate.FftSize / 2 / InternalRate.Hz} s).");
        if (!(MinBpm >= 20) || !(MaxBpm > MinBpm) || MaxBpm > 300)
            throw new ArgumentException($"PPG heart-rate range [{MinBpm}, {MaxBpm}] BPM must lie within [20, 300] and be non-empty.");
    }
}

/// <summary>The tracker's internal sampling rate and transform size (every input is resampled to it).</summary>
internal static class InternalRate
{
    /// <summary>25 Hz: the slowest device rate the pipeline accepts, and 3× the highest harmonic it uses.</summary>
    public const double Hz = 25;

    /// <summary>Zero-padded FFT length: 1024 points at 25 Hz is 1.46 BPM per bin (peaks are interpolated below that).</summary>
    public const int FftSize = 1024;
}
