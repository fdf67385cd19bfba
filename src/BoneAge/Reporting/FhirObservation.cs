using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace Vigil.BoneAge.Reporting;

/// <summary>
/// A FHIR R4 Observation for one bone age, built as a Firely SDK <see cref="Observation"/>: code
/// LOINC 85151-9 "Bone age" (value in months, UCUM <c>mo</c>), a component LOINC 85150-1 "Bone age
/// method" naming the model, chronological age and z-score components, an interpretation (H/L/N)
/// from the Greulich &amp; Pyle z-score, the subject (the patient imaged in the input), the study
/// date as effective time when the image carries one, the model as device, the input as
/// derivedFrom, and a note saying NOT FOR CLINICAL USE when the model card says so.
/// </summary>
public static class FhirObservation
{
    /// <summary>LOINC code for the bone age value.</summary>
    public const string BoneAgeLoinc = "85151-9";
    /// <summary>LOINC code for the bone-age method.</summary>
    public const string BoneAgeMethodLoinc = "85150-1";

    private const string Loinc = "http://loinc.org";
    private const string Ucum = "http://unitsofmeasure.org";

    /// <summary>The SDK's JSON settings for R4 resources (strict both ways: what it writes, it parses back).</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new JsonSerializerOptions { WriteIndented = true }.ForFhir();

    /// <summary>Builds the Observation for an ok row; <paramref name="issued"/> is when Vigil produced it.</summary>
    public static Observation Build(ReportRow row, DateTimeOffset issued)
    {
        if (row.Status != ReportRow.Ok || row.BoneAgeMonths is not { } months)
            throw new ArgumentException("only scored rows become Observations", nameof(row));
        var name = Path.GetFileName(row.Image);
        var obs = new Observation
        {
            Id = row.Sha256.Length >= 16 ? "boneage-" + row.Sha256[..16] : null,
            Status = ObservationStatus.Preliminary,
            Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/observation-category", "imaging", "Imaging")],
            Code = new CodeableConcept(Loinc, BoneAgeLoinc, "Bone age", "Bone age"),
            // The input identifies an image, not a patient: the subject is "the patient in this image".
            Subject = new ResourceReference
            {
                Identifier = new Identifier("urn:vigil:image-sha256", row.Sha256),
                Display = $"patient imaged in {name}",
            },
            Issued = issued,
            Value = Months(months),
            Device = new ResourceReference
            {
                Identifier = new Identifier("urn:vigil:model-sha256", row.ModelSha256),
                Display = $"{row.ModelId} {row.ModelVersion} (sha256 {row.ModelSha256})",
            },
            DerivedFrom = [row.SopInstanceUid.Length > 0
                ? new ResourceReference { Identifier = new Identifier("urn:dicom:uid", "urn:oid:" + row.SopInstanceUid), Display = $"DICOM SOP Instance {row.SopInstanceUid}" }
                : new ResourceReference { Identifier = new Identifier("urn:vigil:image-sha256", row.Sha256), Display = $"{name} (sha256 {row.Sha256})" }],
        };
        if (row.StudyDate is { } study) obs.Effective = new FhirDateTime(study.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        if (row.BoneAgeLowMonths is { } low && row.BoneAgeHighMonths is { } high)
            obs.Component.Add(new Observation.ComponentComponent
            {
                Code = new CodeableConcept { Text = "90% interval of the bone-age estimate" },
                Value = new Hl7.Fhir.Model.Range { Low = Months(low), High = Months(high) },
            });
        obs.Component.Add(new Observation.ComponentComponent
        {
            Code = new CodeableConcept(Loinc, BoneAgeMethodLoinc, "Bone age method", "Bone age method"),
            Value = new FhirString($"automated: model {row.ModelId} {row.ModelVersion}; Greulich & Pyle reference SD"),
        });
        if (row.ChronologicalAgeMonths is { } age)
            obs.Component.Add(new Observation.ComponentComponent { Code = new CodeableConcept { Text = "chronological age" }, Value = Months(age) });
        if (row.ZScore is { } z)
        {
            obs.Component.Add(new Observation.ComponentComponent
            {
                Code = new CodeableConcept { Text = "z-score of bone age minus chronological age against the Greulich & Pyle SD" },
                Value = new Quantity { Value = (decimal)Math.Round(z, 4), Unit = "{z-score}", System = Ucum, Code = "1" },
            });
            var (code, display) = row.Flag switch { "advanced" => ("H", "High"), "delayed" => ("L", "Low"), _ => ("N", "Normal") };
            obs.Interpretation.Add(new CodeableConcept("http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", code, display, display));
        }
        if (row.ClinicalUse.Length > 0) obs.Note.Add(new Annotation { Text = new Markdown($"{row.ClinicalUse}: produced by a demonstration model.") });
        if (row.Reason.Length > 0) obs.Note.Add(new Annotation { Text = new Markdown(row.Reason) });
        if (row.StudyDate is null) obs.Note.Add(new Annotation { Text = new Markdown("effective time unknown: the image carries no study date") });
        if (row.Validation.Length > 0) obs.Note.Add(new Annotation { Text = new Markdown("Model validation: " + row.Validation) });
        return obs;
    }

    /// <summary>The SDK's JSON for <paramref name="observation"/>.</summary>
    public static string ToJson(Observation observation) => JsonSerializer.Serialize(observation, JsonOptions);

    /// <summary>Parses an Observation with the SDK (throws on anything that is not valid R4 JSON for one).</summary>
    public static Observation Parse(string json) =>
        JsonSerializer.Deserialize<Observation>(json, JsonOptions) ?? throw new FormatException("the JSON holds no Observation");

    /// <summary>Writes the Observation for <paramref name="row"/> into <paramref name="folder"/>; returns the file path.</summary>
    public static string Write(ReportRow row, string folder, DateTimeOffset issued)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(row.Image)}-{row.Sha256[..12]}.json");
        File.WriteAllText(path, ToJson(Build(row, issued)));
        return path;
    }

    private static Quantity Months(double v) => new() { Value = (decimal)Math.Round(v, 2), Unit = "months", System = Ucum, Code = "mo" };
}
