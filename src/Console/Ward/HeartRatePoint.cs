using Vigil.Ppg;

namespace Vigil.WardConsole.Ward;

/// <summary>One heart-rate window as the console keeps and serves it.</summary>
/// <param name="PatientId">Whose window.</param>
/// <param name="WindowIndex">The window's index in the patient's stream.</param>
/// <param name="Start">Window start (wall clock).</param>
/// <param name="End">Window end (wall clock): when the window closed.</param>
/// <param name="Bpm">Estimated rate; null when withheld (not shown).</param>
/// <param name="Confidence">Posterior confidence in [0, 1].</param>
/// <param name="Status"><c>ok</c>, <c>low_confidence</c> or <c>withheld</c>.</param>
/// <param name="Reason">Why the status is not ok; null when ok.</param>
/// <param name="Provenance">Tracker id, version, configuration hash and input identity.</param>
/// <param name="Result">The pipeline's result the point was made from.</param>
public sealed record HeartRatePoint(string PatientId, long WindowIndex, DateTimeOffset Start, DateTimeOffset End, double? Bpm, double Confidence,
    string Status, string? Reason, string Provenance, [property: System.Text.Json.Serialization.JsonIgnore] PpgWindowResult Result);
