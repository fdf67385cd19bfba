using Vigil.WardConsole.Live;

namespace Vigil.WardConsole.Thermal;

/// <summary>Facial action-unit intensities of one patient at one time (0–5 per FACS AU), with the dyspnea card's struggle mean.</summary>
/// <param name="PatientId">Whose sample.</param>
/// <param name="Time">When (wall clock).</param>
/// <param name="Intensities">AU number → intensity 0–5.</param>
/// <param name="Struggle">Mean intensity of the dyspnea card's struggle AUs (null when none was measured).</param>
/// <param name="Provenance">The AU source; NOT FOR CLINICAL USE.</param>
public sealed record ActionUnitPoint(string PatientId, DateTimeOffset Time, IReadOnlyDictionary<int, double> Intensities, double? Struggle, string Provenance) : IPatientEvent;
