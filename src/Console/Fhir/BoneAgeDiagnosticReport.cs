using System.Globalization;
using Hl7.Fhir.Model;
using Vigil.BoneAge.Reporting;
using Vigil.WardConsole.Reports;

namespace Vigil.WardConsole.Fhir;

/// <summary>
/// A FHIR R4 DiagnosticReport per bone-age study (one report.csv row): code LOINC 37362-1 "XR Bone age"
/// (the code HL7's HSPC bone-age profile fixes for a bone-age X-ray), category radiology, the patient the
/// study is filed under, the study date as effective time when the image carries one, result → the
/// bone-age Observation (<c>Observation/boneage-SHA16</c>, built by Vigil.BoneAge and readable at
/// <c>/fhir/Observation/{id}</c>), and a conclusion stating the estimate, its 90 % interval, the
/// chronological age and z-score, the model's id, version, sha256 and validation figures and NOT FOR
/// CLINICAL USE. A study that could not be scored is <c>cancelled</c> with the reason as conclusion.
/// </summary>
public static class BoneAgeDiagnosticReport
{
    /// <summary>LOINC code of the bone-age X-ray study.</summary>
    public const string BoneAgeStudyLoinc = "37362-1";

    /// <summary>Builds the report of <paramref name="row"/>, filed under <paramref name="patientId"/>; <paramref name="issued"/> is when the console served it.</summary>
    public static DiagnosticReport Build(string patientId, ReportRow row, DateTimeOffset issued)
    {
        var report = new DiagnosticReport
        {
            Id = BoneAgeStudy.ReportId(row),
            Identifier = [new Identifier("urn:vigil:image-sha256", row.Sha256.Length > 0 ? row.Sha256 : Path.GetFileName(row.Image))],
            Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/v2-0074", "RAD", "Radiology", "Radiology")],
            Code = new CodeableConcept("http://loinc.org", BoneAgeStudyLoinc, "XR Bone age", "Bone age study (X-ray of the hand)"),
            Subject = new ResourceReference { Identifier = new Identifier("urn:vigil:patient-id", patientId), Display = $"patient {patientId}" },
            Issued = issued,
        };
        if (row.StudyDate is { } study) report.Effective = new FhirDateTime(study.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        var provenance = row.ModelId.Length > 0
            ? $"Model {row.ModelId} {row.ModelVersion} (sha256 {row.ModelSha256})" + (row.Validation.Length > 0 ? $"; validation: {row.Validation}" : "") + "."
            : "";
        var label = row.ClinicalUse.Length > 0 ? $" {row.ClinicalUse}: demonstration model." : "";
        if (BoneAgeStudy.ObservationId(row) is { } observation && row.BoneAgeMonths is { } months)
        {
            report.Status = DiagnosticReport.DiagnosticReportStatus.Preliminary;
            report.Result.Add(new ResourceReference($"Observation/{observation}", "bone-age estimate"));
            var text = FormattableString.Invariant($"Bone age {months:0.#} months");
            if (row.BoneAgeLowMonths is { } low && row.BoneAgeHighMonths is { } high) text += FormattableString.Invariant($" (90 % interval {low:0.#}–{high:0.#} months)");
            text += ".";
            if (row.ChronologicalAgeMonths is { } age) text += FormattableString.Invariant($" Chronological age {age:0.#} months");
            if (row.ZScore is { } z) text += FormattableString.Invariant($", z-score {z:0.00} against the Greulich & Pyle SD") + (row.Flag.Length > 0 ? $" ({row.Flag})" : "");
            if (row.ChronologicalAgeMonths is not null) text += ".";
            else if (row.Reason.Length > 0) text += $" {row.Reason}.";
            report.Conclusion = $"{text} {provenance}{label}".Trim();
        }
        else
        {
            report.Status = DiagnosticReport.DiagnosticReportStatus.Cancelled;
            report.Conclusion = $"No bone age: {(row.Reason.Length > 0 ? row.Reason : "the study was not scored")}. {provenance}{label}".Trim();
        }
        return report;
    }
}
