namespace Vigil.Infrared.Alerts;

/// <summary>
/// Facial action unit intensities for one patient at one time, as an AU model (Infrared/ActionUnits)
/// emits them: FACS AU number → intensity on the 0–5 scale (0 absent, 5 maximal).
/// </summary>
/// <param name="PatientId">Patient.</param>
/// <param name="Time">Time on the same clock as the breathing windows.</param>
/// <param name="Intensities">AU number → intensity 0–5.</param>
/// <param name="Provenance">The AU model that produced them.</param>
public sealed record ActionUnitIntensities(string PatientId, TimeSpan Time, IReadOnlyDictionary<int, double> Intensities, string Provenance = "");
