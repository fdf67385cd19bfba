namespace Vigil.Infrared.Breathing;

/// <summary>
/// One window of the breathing estimate for one patient. The pattern fields (breath-interval
/// variation, longest pause) are filled whenever the region was tracked, even when the rate itself is
/// withheld: a flat signal on a tracked face is how an apnoea looks.
/// </summary>
/// <param name="PatientId">Patient (or camera) the window belongs to.</param>
/// <param name="Index">Window number from 0.</param>
/// <param name="Start">Window start on the source's clock.</param>
/// <param name="End">Window end on the source's clock.</param>
/// <param name="Status">Ok or withheld.</param>
/// <param name="RateBpm">Breaths per minute (NaN when withheld).</param>
/// <param name="Reason">Why the rate is withheld; null when Ok.</param>
/// <param name="TrackedFraction">Share of the window's expected frames with a nostril-region temperature.</param>
/// <param name="AmplitudeCelsius">Standard deviation of the detrended region temperature, °C.</param>
/// <param name="PeakShare">Share of the 4–60 /min band's spectral power near the peak.</param>
/// <param name="HighFrequencyRatio">Spectral power above the band relative to the power in it (talking, motion).</param>
/// <param name="BreathIntervalCv">Coefficient of variation of breath-to-breath intervals (NaN with fewer than 3 intervals).</param>
/// <param name="LongestPauseSeconds">Longest stretch of the window without a breath.</param>
/// <param name="BreathCount">Breaths detected in the window.</param>
/// <param name="Provenance">Method, detector and input identity.</param>
public sealed record BreathingWindow(
    string PatientId,
    int Index,
    TimeSpan Start,
    TimeSpan End,
    BreathingStatus Status,
    double RateBpm,
    string? Reason,
    double TrackedFraction,
    double AmplitudeCelsius,
    double PeakShare,
    double HighFrequencyRatio,
    double BreathIntervalCv,
    double LongestPauseSeconds,
    int BreathCount,
    string Provenance)
{
    /// <summary>True when the window's frames mostly carried a nostril-region temperature.</summary>
    public bool RegionTracked(double minTrackedFraction) => TrackedFraction >= minTrackedFraction;
}
