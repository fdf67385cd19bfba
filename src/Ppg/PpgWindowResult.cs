namespace Vigil.Ppg;

/// <summary>
/// The heart rate of one patient over one window. <see cref="Bpm"/> is always computed;
/// <see cref="Status"/> (with <see cref="Reason"/>) tells a display whether to show it.
/// </summary>
/// <param name="PatientId">Whose signal this is.</param>
/// <param name="WindowIndex">i, for the window [i·hop, i·hop + window) seconds after the patient's first sample.</param>
/// <param name="WindowStartSeconds">Window start, in the input's time base (t_s).</param>
/// <param name="WindowEndSeconds">Window end (exclusive), in the input's time base.</param>
/// <param name="Bpm">Estimated heart rate, beats per minute.</param>
/// <param name="Confidence">Posterior probability that the true rate is within a few BPM of <see cref="Bpm"/>, in [0, 1].</param>
/// <param name="SignalQuality">Share of the PPG band power at the estimated rate and its harmonic, in [0, 1].</param>
/// <param name="MotionIndex">Accelerometer movement relative to gravity (0 at rest, about 1 when running).</param>
/// <param name="Status">ok, low_confidence or withheld.</param>
/// <param name="Reason">Why the status is not ok (motion, clipping, dropout, flat signal, ...); null when ok.</param>
/// <param name="Provenance">Tracker id, version and configuration hash, and the input's identity.</param>
public sealed record PpgWindowResult(
    string PatientId,
    long WindowIndex,
    double WindowStartSeconds,
    double WindowEndSeconds,
    double Bpm,
    double Confidence,
    double SignalQuality,
    double MotionIndex,
    PpgStatus Status,
    string? Reason,
    string Provenance);
