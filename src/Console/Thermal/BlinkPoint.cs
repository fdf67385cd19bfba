using Vigil.WardConsole.Live;

namespace Vigil.WardConsole.Thermal;

/// <summary>One blink (AU45) found in a patient's thermal eye-region stream, on the wall clock.</summary>
/// <param name="PatientId">Whose blink.</param>
/// <param name="Start">Eye closes.</param>
/// <param name="End">Eye has reopened.</param>
/// <param name="DurationMs">End − start, ms.</param>
/// <param name="Strength">Peak blink evidence in noise units.</param>
/// <param name="Provenance">Detector and input; NOT FOR CLINICAL USE.</param>
public sealed record BlinkPoint(string PatientId, DateTimeOffset Start, DateTimeOffset End, double DurationMs, double Strength, string Provenance) : IPatientEvent;
