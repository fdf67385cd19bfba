using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vigil.BoneAge.Reporting;

/// <summary>
/// A FHIR R4 Observation for one bone age: code LOINC 85151-9 "Bone age" (value in months, UCUM
/// <c>mo</c>), a component LOINC 85150-1 "Bone age method" naming the model, the z-score and
/// flag as components, an interpretation (H/L/N) from the Greulich &amp; Pyle z-score, the input
/// and model provenance, and a note saying "not for clinical use" when the card says so.
/// </summary>
public static class FhirObservation
{
    /// <summary>LOINC code for the bone age value.</summary>
    public const string BoneAgeLoinc = "85151-9";
    /// <summary>LOINC code for the bone-age method.</summary>
    public const string BoneAgeMethodLoinc = "85150-1";

    /// <summary>Builds the Observation JSON for an ok row.</summary>
    public static JsonObject Build(ReportRow row, DateTimeOffset issued)
    {
        if (row.Status != ReportRow.Ok || row.BoneAgeMonths is not { } months)
            throw new ArgumentException("only scored rows become Observations", nameof(row));
        var components = new JsonArray
        {
            new JsonObject
            {
                ["code"] = Code("http://loinc.org", BoneAgeMethodLoinc, "Bone age method"),
                ["valueString"] = $"automated: model {row.ModelId} {row.ModelVersion}; Greulich & Pyle reference SD",
            },
        };
        if (row.ChronologicalAgeMonths is { } age)
            components.Add(new JsonObject
            {
                ["code"] = Text("chronological age"),
                ["valueQuantity"] = Months(age),
            });
        if (row.BoneAgeLowMonths is { } low && row.BoneAgeHighMonths is { } high)
            components.Add(new JsonObject
            {
                ["code"] = Text("90% interval of the bone-age estimate"),
                ["valueRange"] = new JsonObject { ["low"] = Months(low), ["high"] = Months(high) },
            });
        if (row.ZScore is { } z)
            components.Add(new JsonObject
            {
                ["code"] = Text("z-score of bone age minus chronological age against the Greulich & Pyle SD"),
                ["valueQuantity"] = new JsonObject { ["value"] = Math.Round(z, 4), ["unit"] = "{z-score}", ["system"] = "http://unitsofmeasure.org", ["code"] = "1" },
            });
        var obs = new JsonObject
        {
            ["resourceType"] = "Observation",
            ["id"] = row.Sha256.Length >= 16 ? "boneage-" + row.Sha256[..16] : null,
            ["status"] = "preliminary",
            ["category"] = new JsonArray(new JsonObject
            {
                ["coding"] = new JsonArray(new JsonObject
                {
                    ["system"] = "http://terminology.hl7.org/CodeSystem/observation-category", ["code"] = "imaging", ["display"] = "Imaging",
                }),
            }),
            ["code"] = Code("http://loinc.org", BoneAgeLoinc, "Bone age"),
            ["issued"] = issued.ToString("yyyy-MM-ddTHH:mm:ss.fffzzz", System.Globalization.CultureInfo.InvariantCulture),
            ["valueQuantity"] = Months(months),
            ["component"] = components,
            ["device"] = new JsonObject { ["display"] = $"{row.ModelId} {row.ModelVersion} (sha256 {row.ModelSha256})" },
            ["derivedFrom"] = new JsonArray(new JsonObject
            {
                ["display"] = row.SopInstanceUid.Length > 0 ? $"DICOM SOP Instance {row.SopInstanceUid}" : $"{Path.GetFileName(row.Image)} (sha256 {row.Sha256})",
            }),
        };
        if (row.ZScore is not null)
            obs["interpretation"] = new JsonArray(new JsonObject
            {
                ["coding"] = new JsonArray(new JsonObject
                {
                    ["system"] = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation",
                    ["code"] = row.Flag switch { "advanced" => "H", "delayed" => "L", _ => "N" },
                    ["display"] = row.Flag switch { "advanced" => "High", "delayed" => "Low", _ => "Normal" },
                }),
            });
        var notes = new JsonArray();
        if (row.ClinicalUse.Length > 0) notes.Add(new JsonObject { ["text"] = $"{row.ClinicalUse}: produced by a demonstration model." });
        if (row.Reason.Length > 0) notes.Add(new JsonObject { ["text"] = row.Reason });
        if (row.Validation.Length > 0) notes.Add(new JsonObject { ["text"] = "Model validation: " + row.Validation });
        if (notes.Count > 0) obs["note"] = notes;
        return obs;
    }

    /// <summary>Writes the Observation for <paramref name="row"/> into <paramref name="folder"/>; returns the file path.</summary>
    public static string Write(ReportRow row, string folder, DateTimeOffset issued)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(row.Image)}-{row.Sha256[..12]}.json");
        File.WriteAllText(path, Build(row, issued).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return path;
    }

    private static JsonObject Months(double v) =>
        new() { ["value"] = Math.Round(v, 2), ["unit"] = "months", ["system"] = "http://unitsofmeasure.org", ["code"] = "mo" };

    private static JsonObject Code(string system, string code, string display) =>
        new() { ["coding"] = new JsonArray(new JsonObject { ["system"] = system, ["code"] = code, ["display"] = display }), ["text"] = display };

    private static JsonObject Text(string text) => new() { ["text"] = text };
}
