namespace Vigil.Ppg.Tracking;

/// <summary>What the spectral tracker concluded about one window.</summary>
/// <param name="Bpm">Heart-rate estimate.</param>
/// <param name="Confidence">Posterior mass near the estimate, in [0, 1].</param>
/// <param name="SignalQuality">Share of raw PPG band power at the estimate and its harmonic, in [0, 1].</param>
/// <param name="ChallengerBpm">Mode of the free (challenger) filter, which follows the evidence with little memory.</param>
/// <param name="Disputed">The challenger has disagreed with the main track, on stronger evidence, for several windows.</param>
/// <param name="Reacquired">The main track was re-acquired from the challenger in this window.</param>
/// <param name="OnMotion">The estimate sits where the accelerometer (or gyroscope) has a spectral peak (cadence, arm swing or a harmonic).</param>
/// <param name="Evidence">Spectral evidence at the estimate, the inputs of the learned refinement.</param>
internal readonly record struct TrackerEstimate(double Bpm, double Confidence, double SignalQuality, double ChallengerBpm = double.NaN,
    bool Disputed = false, bool Reacquired = false, bool OnMotion = false, EstimateEvidence Evidence = default);

/// <summary>Spectral evidence at the tracker's estimate (each in [0, 1] unless stated).</summary>
/// <param name="Likelihood">Normalised likelihood of the estimate's rate in this window.</param>
/// <param name="Reliability">Wiener gain at the estimate (0: motion only, 1: no motion).</param>
/// <param name="Fundamental">Enhanced PPG power at the estimate.</param>
/// <param name="Harmonic">Enhanced PPG power at twice the estimate.</param>
/// <param name="Subharmonic">Enhanced PPG power at half the estimate.</param>
/// <param name="RivalLikelihood">Best likelihood more than 10 BPM away from the estimate.</param>
/// <param name="Motion">Running motion spectrum at the estimate.</param>
/// <param name="Dispute">Accumulated log-evidence ratio of the challenger over the main track (0 when they agree).</param>
internal readonly record struct EstimateEvidence(double Likelihood, double Reliability, double Fundamental, double Harmonic,
    double Subharmonic, double RivalLikelihood, double Motion, double Dispute);
