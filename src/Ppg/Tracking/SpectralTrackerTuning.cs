namespace Vigil.Ppg.Tracking;

/// <summary>
/// The spectral tracker's constants, each physiologically or signal-theoretically motivated
/// (never fitted per recording). Kept together so a run's provenance can hash them.
/// </summary>
internal sealed record SpectralTrackerTuning
{
    /// <summary>Smoothing weight of the newest window in the running PPG and accelerometer spectra used by the Wiener gain.</summary>
    public double SpectrumSmoothing { get; init; } = 0.85;

    /// <summary>How strongly accelerometer energy at a frequency suppresses the PPG there (noise-to-signal weight).</summary>
    public double MotionSuppression { get; init; } = 10.0;

    /// <summary>Motion index (dynamic acceleration / gravity) at which suppression reaches full strength: 0.02 g, any deliberate movement (low so that an accelerometer in offset ADC counts, whose gravity estimate is inflated, still suppresses).</summary>
    public double MotionReference { get; init; } = 0.02;

    /// <summary>Added to the running PPG spectrum in the Wiener gain so that quiet frequencies are not deemed motion-dominated.</summary>
    public double ReliabilityEpsilon { get; init; } = 0.01;

    /// <summary>
    /// How far (BPM) from the posterior mode the final estimate may move to the nearest PPG
    /// spectral peak: the filtered mode lags a rising rate, the peak does not.
    /// </summary>
    public double RefineReachBpm { get; init; } = 5;

    /// <summary>Likelihood of a frequency whose PPG power is explained by motion, as a multiple of the window's mean likelihood (neutral: neither supports nor rules out the rate).</summary>
    public double MaskedLikelihood { get; init; } = 4;

    /// <summary>Weight of the second harmonic (2f) when scoring a candidate rate f.</summary>
    public double HarmonicWeight { get; init; } = 0.5;

    /// <summary>Exponent sharpening the enhanced spectrum into a likelihood.</summary>
    public double LikelihoodExponent { get; init; } = 4.0;

    /// <summary>Likelihood floor, so no rate is ever ruled out by one window.</summary>
    public double LikelihoodFloor { get; init; } = 0.02;

    /// <summary>Standard deviation of the heart-rate change per second (BPM/s): exercise rarely exceeds 2 BPM/s.</summary>
    public double RateChangeBpmPerSecond { get; init; } = 2.5;

    /// <summary>Probability per window of a jump anywhere (recovery after a lost track).</summary>
    public double JumpProbability { get; init; } = 0.002;

    /// <summary>Half-width (BPM) of the interval whose posterior mass is the confidence.</summary>
    public double ConfidenceHalfWidthBpm { get; init; } = 5;

    /// <summary>Centre of the population prior used before the first window (BPM).</summary>
    public double PriorCentreBpm { get; init; } = 85;

    /// <summary>Width of the population prior (BPM).</summary>
    public double PriorWidthBpm { get; init; } = 30;

    /// <summary>The defaults.</summary>
    public static SpectralTrackerTuning Default { get; } = new();

}
