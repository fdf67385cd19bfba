using Vigil.BoneAge.Reporting;

namespace Vigil.WardConsole.Reports;

/// <summary>How the console names a bone-age study (a report.csv row) in its routes and FHIR resources.</summary>
public static class BoneAgeStudy
{
    /// <summary>
    /// The study id: the first 16 hex digits of the image's sha256 (as the bone-age Observation's id
    /// <c>boneage-SHA16</c>), or, for a row without a hash (an unreadable file), its file name made FHIR-safe.
    /// </summary>
    public static string Id(ReportRow row) =>
        row.Sha256.Length >= 16 ? row.Sha256[..16] : FhirSafe("img-" + Path.GetFileNameWithoutExtension(row.Image));

    /// <summary>The DiagnosticReport id of the study.</summary>
    public static string ReportId(ReportRow row) => "boneage-study-" + Id(row);

    /// <summary>The Observation id of the study's estimate (as <see cref="FhirObservation.Build"/> sets it), or null when the row has none.</summary>
    public static string? ObservationId(ReportRow row) =>
        row.Status == ReportRow.Ok && row.BoneAgeMonths is not null && row.Sha256.Length >= 16 ? "boneage-" + row.Sha256[..16] : null;

    private static string FhirSafe(string raw) => new(raw.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '-').Take(48).ToArray());
}
