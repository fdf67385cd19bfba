using System.Text.Json.Serialization;
using Vigil.Infrared.Breathing;
using Vigil.WardConsole.Live;

namespace Vigil.WardConsole.Thermal;

/// <summary>One breathing-rate window as the console keeps and serves it (wall-clock times; NaN figures as null).</summary>
/// <param name="PatientId">Whose window.</param>
/// <param name="Index">Window number in the patient's stream.</param>
/// <param name="Start">Window start (wall clock).</param>
/// <param name="End">Window end (wall clock): when it closed.</param>
/// <param name="RateBpm">Breaths per minute; null when withheld.</param>
/// <param name="Status"><c>ok</c> or <c>withheld</c>.</param>
/// <param name="Reason">Why the rate is withheld; null when ok.</param>
/// <param name="TrackedFraction">Share of expected frames with a nostril-region temperature.</param>
/// <param name="LongestPauseSeconds">Longest stretch without a breath (null when the face was not tracked).</param>
/// <param name="BreathIntervalCv">Breath-interval coefficient of variation (null with fewer than 3 intervals).</param>
/// <param name="Breaths">Breaths counted in the window.</param>
/// <param name="Provenance">Method, face detector and input; NOT FOR CLINICAL USE.</param>
/// <param name="Window">The Infrared room's window the point was made from.</param>
public sealed record BreathingPoint(string PatientId, int Index, DateTimeOffset Start, DateTimeOffset End, double? RateBpm, string Status, string? Reason,
    double TrackedFraction, double? LongestPauseSeconds, double? BreathIntervalCv, int Breaths, string Provenance,
    [property: JsonIgnore] BreathingWindow Window) : IPatientEvent
{
    /// <summary>The point of <paramref name="w"/>, whose stream time zero is <paramref name="streamStart"/>.</summary>
    public static BreathingPoint Of(BreathingWindow w, DateTimeOffset streamStart)
    {
        var ok = w.Status == BreathingStatus.Ok && double.IsFinite(w.RateBpm);
        return new BreathingPoint(w.PatientId, w.Index, streamStart + w.Start, streamStart + w.End, ok ? Math.Round(w.RateBpm, 1) : null,
            ok ? "ok" : "withheld", w.Reason, Math.Round(w.TrackedFraction, 3), Finite(w.LongestPauseSeconds, 1), Finite(w.BreathIntervalCv, 3), w.BreathCount, w.Provenance, w);
    }

    private static double? Finite(double v, int digits) => double.IsFinite(v) ? Math.Round(v, digits) : null;
}
