using Vigil.WardConsole.Live;

namespace Vigil.WardConsole.Thermal;

/// <summary>A change of a patient's dyspnea alert or of its monitoring (Vigil.Infrared's <c>DyspneaEvent</c>) on the wall clock.</summary>
/// <param name="PatientId">Whose event.</param>
/// <param name="Time">When (wall clock).</param>
/// <param name="Kind">AlertRaised, AlertCleared, MonitoringLost or MonitoringResumed.</param>
/// <param name="AlertActive">Whether the alert is active after it.</param>
/// <param name="Reason">One line saying why.</param>
public sealed record DyspneaPoint(string PatientId, DateTimeOffset Time, string Kind, bool AlertActive, string Reason) : IPatientEvent;
