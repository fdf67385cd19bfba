using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;
using Vigil.WardConsole.Reports;

namespace Vigil.WardConsole.Fhir;

/// <summary>
/// <c>GET /fhir/DiagnosticReport</c>: one <see cref="BoneAgeDiagnosticReport"/> per bone-age study, as a
/// searchset Bundle. Parameters: <c>patient</c>/<c>subject</c>, <c>date</c> (the study date; a study
/// without one matches no date bound), <c>_count</c>. Strict like the Observation search.
/// </summary>
public static class DiagnosticReportSearch
{
    private static readonly HashSet<string> Known = ["patient", "subject", "date", "_count", "_format"];

    /// <summary>Runs the search described by <paramref name="query"/>.</summary>
    public static Bundle Run(IQueryCollection query, BoneAgeReports reports, DateTimeOffset now, string baseUrl)
    {
        var search = SearchParameters.Parse(query, Known, "patient, date, _count");
        var found = new List<DiagnosticReport>();
        foreach (var (id, row) in reports.All)
        {
            if (search.Patient is not null && id != search.Patient) continue;
            if (search.Dates.Count > 0 && (row.StudyDate is not { } sd || !search.InDates(new DateTimeOffset(sd.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)))) continue;
            found.Add(BoneAgeDiagnosticReport.Build(id, row, now));
        }
        var bundle = new Bundle { Type = Bundle.BundleType.Searchset, Total = found.Count, Timestamp = now };
        foreach (var r in found.Take(search.Count))
            bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = $"{baseUrl}/fhir/DiagnosticReport/{r.Id}", Resource = r, Search = new Bundle.SearchComponent { Mode = Bundle.SearchEntryMode.Match } });
        return bundle;
    }

    /// <summary>The report whose id is <paramref name="id"/>, or null.</summary>
    public static DiagnosticReport? Read(string id, BoneAgeReports reports, DateTimeOffset now) =>
        reports.All.Where(r => BoneAgeStudy.ReportId(r.Row) == id).Select(r => BoneAgeDiagnosticReport.Build(r.PatientId, r.Row, now)).FirstOrDefault();
}
