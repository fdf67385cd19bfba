using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace Vigil.Ppg.Reporting;

/// <summary>
/// A FHIR R4 vital-signs Observation for one PPG window, built as a Firely SDK
/// <see cref="Observation"/>: LOINC 8867-4 "Heart rate" in UCUM <c>/min</c>, the patient as subject,
/// the window as effective period, confidence, signal quality and motion as components, the tracker
/// (id, version, configuration hash) as device, and the input's identity as provenance. A withheld
/// window carries no value but a data-absent reason with the tracker's reason; a low-confidence
/// one is preliminary with the reason as a note. Results of a research method say NOT FOR CLINICAL USE.
/// </summary>
public static class HeartRateObservation
{
    /// <summary>LOINC code for heart rate.</summary>
    public const string HeartRateLoinc = "8867-4";

    /// <summary>The note carried by results of methods not validated for clinical use.</summary>
    public const string NotForClinicalUse = "NOT FOR CLINICAL USE";

    private const string Ucum = "http://unitsofmeasure.org";

    /// <summary>The SDK's JSON settings for R4 resources.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new JsonSerializerOptions { WriteIndented = true }.ForFhir();

    /// <summary>
    /// Builds the Observation for <paramref name="result"/>; <paramref name="recordingStart"/> is the
    /// wall-clock time of the input's time zero (window times are seconds after it);
    /// <paramref name="notForClinicalUse"/> adds the note (true for Vigil's research tracker).
    /// </summary>
    public static Observation Build(PpgWindowResult result, DateTimeOffset recordingStart, DateTimeOffset issued, bool notForClinicalUse = true)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!double.IsFinite(result.WindowStartSeconds) || !double.IsFinite(result.WindowEndSeconds) || result.WindowEndSeconds <= result.WindowStartSeconds)
            throw new ArgumentException($"patient {result.PatientId} window {result.WindowIndex}: window [{result.WindowStartSeconds}, {result.WindowEndSeconds}) s is not a time span", nameof(result));
        var obs = new Observation
        {
            Id = FhirId($"hr-{result.PatientId}-{result.WindowIndex}"),
            Status = result.Status == PpgStatus.Ok ? ObservationStatus.Final : ObservationStatus.Preliminary,
            Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/observation-category", "vital-signs", "Vital Signs")],
            Code = new CodeableConcept("http://loinc.org", HeartRateLoinc, "Heart rate", "Heart rate"),
            Subject = new ResourceReference { Identifier = new Identifier("urn:vigil:patient-id", result.PatientId), Display = $"patient {result.PatientId}" },
            Effective = new Period(
                new FhirDateTime(recordingStart.AddSeconds(result.WindowStartSeconds)),
                new FhirDateTime(recordingStart.AddSeconds(result.WindowEndSeconds))),
            Issued = issued,
            Method = new CodeableConcept { Text = "wrist photoplethysmography with accelerometer motion compensation" },
            Device = new ResourceReference { Display = result.Provenance },
        };
        if (result.Status == PpgStatus.Withheld || !double.IsFinite(result.Bpm))
        {
            obs.DataAbsentReason = new CodeableConcept("http://terminology.hl7.org/CodeSystem/data-absent-reason", "unknown", "Unknown", $"withheld: {result.Reason ?? "not supported by the signal"}");
        }
        else
        {
            obs.Value = new Quantity { Value = (decimal)Math.Round(result.Bpm, 1), Unit = "beats/minute", System = Ucum, Code = "/min" };
            if (result.Status == PpgStatus.LowConfidence)
                obs.Interpretation.Add(new CodeableConcept { Text = "low confidence" });
        }
        obs.Component.Add(Fraction("posterior probability that the true rate is within a few BPM of the value", result.Confidence));
        obs.Component.Add(Fraction("signal quality: share of PPG band power at the rate and its harmonic", result.SignalQuality));
        obs.Component.Add(Fraction("motion index: accelerometer movement relative to gravity", result.MotionIndex));
        if (result.Reason is { Length: > 0 } reason) obs.Note.Add(new Annotation { Text = new Markdown($"{result.Status.ToWire()}: {reason}") });
        if (notForClinicalUse) obs.Note.Add(new Annotation { Text = new Markdown($"{NotForClinicalUse}: produced by a research heart-rate tracker.") });
        return obs;
    }

    /// <summary>The SDK's JSON for <paramref name="observation"/>.</summary>
    public static string ToJson(Observation observation) => JsonSerializer.Serialize(observation, JsonOptions);

    /// <summary>Parses an Observation with the SDK (throws on anything that is not valid R4 JSON for one).</summary>
    public static Observation Parse(string json) =>
        JsonSerializer.Deserialize<Observation>(json, JsonOptions) ?? throw new FormatException("the JSON holds no Observation");

    private static Observation.ComponentComponent Fraction(string text, double value) => new()
    {
        Code = new CodeableConcept { Text = text },
        Value = double.IsFinite(value) ? new Quantity { Value = (decimal)Math.Round(value, 4), Unit = "1", System = Ucum, Code = "1" } : null,
        DataAbsentReason = double.IsFinite(value) ? null : new CodeableConcept("http://terminology.hl7.org/CodeSystem/data-absent-reason", "not-a-number", "Not a Number (NaN)"),
    };

    /// <summary>A FHIR id ([A-Za-z0-9-.]{1,64}): other characters become '-'.</summary>
    private static string FhirId(string raw)
    {
        var chars = raw.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '-').Take(64).ToArray();
        return new string(chars);
    }
}
