namespace Vigil.Ppg.Tracking;

/// <summary>What the spectral tracker concluded about one window.</summary>
/// <param name="Bpm">Heart-rate estimate.</param>
/// <param name="Confidence">Posterior mass near the estimate, in [0, 1].</param>
/// <param name="SignalQuality">Share of raw PPG band power at the estimate and its harmonic, in [0, 1].</param>
/// <param name="ChallengerBpm">Mode of the free (challenger) filter, which follows the evidence with little memory.</param>
/// <param name="Disputed">The challenger has disagreed with the main track, on stronger evidence, for several windows.</param>
/// <param name="Reacquired">The main track was re-acquired from the challenger in this window.</param>
/// <param name="OnMotion">The estimate sits where the accelerometer (or gyroscope) has a spectral peak (cadence, arm swing or a harmonic).</param>
internal readonly record struct TrackerEstimate(double Bpm, double Confidence, double SignalQuality, double ChallengerBpm = double.NaN,
    bool Disputed = false, bool Reacquired = false, bool OnMotion = false);
