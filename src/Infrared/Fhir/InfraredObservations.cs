using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Vigil.Infrared.Alerts;
using Vigil.Infrared.Breathing;

namespace Vigil.Infrared.Fhir;

/// <summary>
/// FHIR R4 Observations (Firely SDK) for the thermal breathing rate (LOINC 9279-1 "Respiratory rate",
/// UCUM /min, vital-signs) and for dyspnea alert events (SNOMED CT 267036007 "Dyspnea (finding)", value
/// present/absent, one component per piece of evidence), built as the PPG heart-rate Observation is:
/// patient as subject, window as effective period, method and provenance as device, a data-absent
/// reason with the reason when withheld, and the NOT FOR CLINICAL USE note.
/// </summary>
public static class InfraredObservations
{
    /// <summary>LOINC code for respiratory rate.</summary>
    public const string RespiratoryRateLoinc = "9279-1";

    /// <summary>SNOMED CT code for dyspnea (finding).</summary>
    public const string DyspneaSnomed = "267036007";

    /// <summary>The note carried by every Observation of these research methods.</summary>
    public const string NotForClinicalUse = "NOT FOR CLINICAL USE";

    private const string Ucum = "http://unitsofmeasure.org";
    private const string Snomed = "http://snomed.info/sct";

    /// <summary>The SDK's JSON settings for R4 resources.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new JsonSerializerOptions { WriteIndented = true }.ForFhir();

    /// <summary>The breathing-rate Observation of <paramref name="window"/>; <paramref name="recordingStart"/> is the wall-clock time of the source's time zero.</summary>
    public static Observation BreathingRate(BreathingWindow window, DateTimeOffset recordingStart, DateTimeOffset issued)
    {
        ArgumentNullException.ThrowIfNull(window);
        var obs = new Observation
        {
            Id = FhirId($"rr-{window.PatientId}-{window.Index}"),
            Status = ObservationStatus.Final,
            Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/observation-category", "vital-signs", "Vital Signs")],
            Code = new CodeableConcept("http://loinc.org", RespiratoryRateLoinc, "Respiratory rate", "Respiratory rate"),
            Subject = Patient(window.PatientId),
            Effective = new Period(new FhirDateTime(recordingStart + window.Start), new FhirDateTime(recordingStart + window.End)),
            Issued = issued,
            Method = new CodeableConcept { Text = "thermal imaging: nostril-region temperature, Lomb-Scargle spectrum over 4-60 /min" },
            Device = new ResourceReference { Display = window.Provenance },
        };
        if (window.Status == BreathingStatus.Ok && double.IsFinite(window.RateBpm))
            obs.Value = new Quantity { Value = (decimal)Math.Round(window.RateBpm, 1), Unit = "breaths/minute", System = Ucum, Code = "/min" };
        else
            obs.DataAbsentReason = new CodeableConcept("http://terminology.hl7.org/CodeSystem/data-absent-reason", "unknown", "Unknown", $"withheld: {window.Reason ?? "not supported by the signal"}");
        obs.Component.Add(Component("share of the window's frames with a nostril-region temperature", window.TrackedFraction, "1"));
        obs.Component.Add(Component("share of the breathing band's power at the rate", window.PeakShare, "1"));
        obs.Component.Add(Component("breath-interval coefficient of variation", window.BreathIntervalCv, "1"));
        obs.Component.Add(Component("longest pause without a breath", window.LongestPauseSeconds, "s"));
        if (window.Reason is { Length: > 0 } reason) obs.Note.Add(new Annotation { Text = new Markdown($"withheld: {reason}") });
        obs.Note.Add(new Annotation { Text = new Markdown($"{NotForClinicalUse}: produced by a research breathing-rate method.") });
        return obs;
    }

    /// <summary>The Observation of a dyspnea alert event, with one component per evidence item.</summary>
    public static Observation DyspneaAlert(DyspneaEvent e, DateTimeOffset recordingStart, DateTimeOffset issued)
    {
        ArgumentNullException.ThrowIfNull(e);
        var obs = new Observation
        {
            Id = FhirId($"dyspnea-{e.PatientId}-{e.Kind}-{(long)e.Time.TotalMilliseconds}"),
            Status = e.Kind is DyspneaEventKind.AlertRaised or DyspneaEventKind.AlertCleared ? ObservationStatus.Final : ObservationStatus.Preliminary,
            Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/observation-category", "survey", "Survey") { Text = "alert" }],
            Code = new CodeableConcept(Snomed, DyspneaSnomed, "Dyspnea (finding)", "Dyspnea alert"),
            Subject = Patient(e.PatientId),
            Effective = new FhirDateTime(recordingStart + e.Time),
            Issued = issued,
            Device = new ResourceReference { Display = e.Provenance },
        };
        if (e.Kind is DyspneaEventKind.MonitoringLost)
            obs.DataAbsentReason = new CodeableConcept("http://terminology.hl7.org/CodeSystem/data-absent-reason", "unknown", "Unknown", $"monitoring interrupted: {e.Reason}");
        else
            obs.Value = e.AlertActive ? new CodeableConcept(Snomed, "52101004", "Present", "dyspnea alert active") : new CodeableConcept(Snomed, "2667000", "Absent", "dyspnea alert not active");
        foreach (var ev in e.Evidence)
        {
            var c = Component($"{ev.Kind}: {ev.Detail}", ev.Value, ev.Unit);
            c.Interpretation.Add(new CodeableConcept { Text = ev.Met ? $"met (threshold {ev.Threshold} {ev.Unit}, weight {ev.Weight})" : $"not met (threshold {ev.Threshold} {ev.Unit})" });
            obs.Component.Add(c);
        }
        obs.Note.Add(new Annotation { Text = new Markdown($"{e.Kind}: {e.Reason}") });
        obs.Note.Add(new Annotation { Text = new Markdown($"{NotForClinicalUse}: research dyspnea alert, thresholds not clinically validated.") });
        return obs;
    }

    /// <summary>The SDK's JSON for <paramref name="observation"/>.</summary>
    public static string ToJson(Observation observation) => JsonSerializer.Serialize(observation, JsonOptions);

    /// <summary>Parses an Observation with the SDK (throws on anything that is not valid R4 JSON for one).</summary>
    public static Observation Parse(string json) =>
        JsonSerializer.Deserialize<Observation>(json, JsonOptions) ?? throw new FormatException("the JSON holds no Observation");

    private static ResourceReference Patient(string id) => new() { Identifier = new Identifier("urn:vigil:patient-id", id), Display = $"patient {id}" };

    private static Observation.ComponentComponent Component(string text, double value, string unit) => new()
    {
        Code = new CodeableConcept { Text = text },
        Value = double.IsFinite(value) ? new Quantity { Value = (decimal)Math.Round(value, 4), Unit = unit, System = Ucum, Code = unit == "intensity 0-5" ? "1" : unit } : null,
        DataAbsentReason = double.IsFinite(value) ? null : new CodeableConcept("http://terminology.hl7.org/CodeSystem/data-absent-reason", "not-a-number", "Not a Number (NaN)"),
    };

    private static string FhirId(string raw) => new(raw.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '-').Take(64).ToArray());
}
