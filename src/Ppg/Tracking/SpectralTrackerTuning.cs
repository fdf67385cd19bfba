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
    /// spectral peak: the filtered mode lags a rising rate, the peak does not. One spectral
    /// resolution cell of the 8 s window (60 / 8 s = 7.5 BPM): a heart rate a few BPM from the
    /// cadence has its peak top masked, and the mode sits on that same lobe's flank up to a cell away.
    /// </summary>
    public double RefineReachBpm { get; init; } = 7.5;

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
    public double JumpProbability { get; init; } = 0.0001;

    /// <summary>Half-width (BPM) of the interval whose posterior mass is the confidence.</summary>
    public double ConfidenceHalfWidthBpm { get; init; } = 5;

    /// <summary>Centre of the population prior used before the first window (BPM).</summary>
    public double PriorCentreBpm { get; init; } = 85;

    /// <summary>Width of the population prior (BPM).</summary>
    public double PriorWidthBpm { get; init; } = 45;

    /// <summary>Penalty on a candidate rate f for enhanced PPG power at f/2 and 3f/2, where a pulse at f has none (a pulse at f/2 does): stops double-rate locks.</summary>
    public double SubharmonicPenalty { get; init; } = 0.5;

    /// <summary>Exponent sharpening a family score into a likelihood.</summary>
    public double FamilyExponent { get; init; } = 4.0;

    /// <summary>Jump probability per window of the free (challenger) filter, which follows the evidence closely so that a lost main track can be re-acquired.</summary>
    public double ChallengerJumpProbability { get; init; } = 0.1;

    /// <summary>Main and challenger modes further apart than this (BPM) are a dispute.</summary>
    public double DisputeBpm { get; init; } = 10;

    /// <summary>Leak of the accumulated log-evidence ratio of a dispute per window.</summary>
    public double DisputeLeak { get; init; } = 0.85;

    /// <summary>Accumulated log-evidence ratio (challenger over main) at which the main track is re-acquired from the challenger.</summary>
    public double ReacquireLogRatio { get; init; } = 6;

    /// <summary>Consecutive disputed windows (with a stable challenger) needed before re-acquiring.</summary>
    public int ReacquireWindows { get; init; } = 4;

    /// <summary>Most a stable challenger may move per window (BPM).</summary>
    public double ChallengerStableBpm { get; init; } = 6;

    /// <summary>Wiener gain at or below which a candidate rate counts as fully motion-dominated (its likelihood is neutral); the blend is linear up to 1 minus this.</summary>
    public double MotionGainFloor { get; init; } = 0;

    /// <summary>Highest neutral likelihood of a motion-masked rate, as a share of the window's best family score.</summary>
    public double NeutralCap { get; init; } = 0.3;

    /// <summary>The defaults.</summary>
    public static SpectralTrackerTuning Default { get; } = new();

}
