using System.Globalization;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;
using Vigil.BoneAge.Reporting;
using Vigil.Ppg.Reporting;
using Vigil.WardConsole.Reports;
using Vigil.WardConsole.Ward;

namespace Vigil.WardConsole.Fhir;

/// <summary>
/// <c>GET /fhir/Observation</c>: heart-rate windows (LOINC 8867-4), bone-age estimates (LOINC 85151-9)
/// and alerts (<c>urn:vigil:alert|KIND</c>) as a searchset Bundle, built with the Firely SDK by the
/// modalities' own builders. Parameters: <c>patient</c>, <c>date</c> (repeatable, with prefixes),
/// <c>code</c> (token, comma-separated alternatives), <c>_count</c>. Searches are strict: an unknown
/// parameter or a malformed value is refused (<see cref="FhirSearchException"/>) rather than ignored.
/// </summary>
public static class ObservationSearch
{
    /// <summary>System of alert codes.</summary>
    public const string AlertSystem = "urn:vigil:alert";

    private static readonly HashSet<string> Known = ["patient", "subject", "date", "code", "_count", "_format"];

    /// <summary>Runs the search described by <paramref name="query"/>.</summary>
    public static Bundle Run(IQueryCollection query, WardState ward, BoneAgeReports reports, DateTimeOffset now, string baseUrl)
    {
        foreach (var key in query.Keys)
            if (!Known.Contains(key)) throw new FhirSearchException($"unknown search parameter '{key}' (supported: patient, date, code, _count)");
        string? patient = null;
        foreach (var key in new[] { "patient", "subject" })
            if (query.TryGetValue(key, out var p))
            {
                if (p.Count != 1 || string.IsNullOrWhiteSpace(p[0])) throw new FhirSearchException($"{key} must be given once with a value");
                patient = p[0]!.StartsWith("Patient/", StringComparison.Ordinal) ? p[0]![8..] : p[0];
            }
        var dates = query.TryGetValue("date", out var ds) ? ds.Select(d => DateBound.Parse(d ?? "")).ToArray() : [];
        var codes = query.TryGetValue("code", out var cs) ? cs.SelectMany(c => (c ?? "").Split(',')).Select(ParseToken).ToArray() : [];
        var count = 100;
        if (query.TryGetValue("_count", out var n) && (!int.TryParse(n[0], NumberStyles.None, CultureInfo.InvariantCulture, out count) || count < 1 || count > 10_000))
            throw new FhirSearchException($"_count '{n}' must be a whole number from 1 to 10000");

        bool Wanted(string system, string code) => codes.Length == 0 || codes.Any(c => c.Code == code && (c.System is null || c.System == system));
        bool InDates(DateTimeOffset t) => dates.All(d => d.Matches(t));

        var found = new List<Observation>();
        var patients = patient is null ? ward.PatientIds : [patient];
        if (Wanted("http://loinc.org", HeartRateObservation.HeartRateLoinc))
            foreach (var id in patients)
                foreach (var h in ward.History(id).Where(h => InDates(h.End)))
                    found.Add(HeartRateObservation.Build(h.Result, h.Start.AddSeconds(-h.Result.WindowStartSeconds), h.End));
        if (Wanted("http://loinc.org", FhirObservation.BoneAgeLoinc))
            foreach (var (id, row) in reports.All)
            {
                if (patient is not null && id != patient) continue;
                if (row.Status != ReportRow.Ok || row.BoneAgeMonths is null) continue;
                if (dates.Length > 0 && (row.StudyDate is not { } sd || !InDates(new DateTimeOffset(sd.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)))) continue;
                var obs = FhirObservation.Build(row, now);
                obs.Subject = new ResourceReference { Identifier = new Identifier("urn:vigil:patient-id", id), Display = $"patient {id}" };
                found.Add(obs);
            }
        foreach (var a in ward.Alerts)
        {
            if (patient is not null && a.PatientId != patient) continue;
            if (!Wanted(AlertSystem, a.Kind) || !InDates(a.Raised)) continue;
            found.Add(AlertObservation(a));
        }

        var bundle = new Bundle { Type = Bundle.BundleType.Searchset, Total = found.Count, Timestamp = now };
        foreach (var o in found.Take(count))
            bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = $"{baseUrl}/fhir/Observation/{o.Id}", Resource = o, Search = new Bundle.SearchComponent { Mode = Bundle.SearchEntryMode.Match } });
        return bundle;
    }

    /// <summary>An alert as an Observation: the kind as code, the message as value, evidence and provenance as notes.</summary>
    public static Observation AlertObservation(WardAlert a)
    {
        var obs = new Observation
        {
            Id = FhirId(a.Id),
            Status = a.AcknowledgedBy is null ? ObservationStatus.Preliminary : ObservationStatus.Final,
            Code = new CodeableConcept(AlertSystem, a.Kind, $"Vigil alert: {a.Kind}", $"Vigil alert: {a.Kind}"),
            Subject = new ResourceReference { Identifier = new Identifier("urn:vigil:patient-id", a.PatientId), Display = $"patient {a.PatientId}" },
            Effective = new FhirDateTime(a.Raised),
            Value = new FhirString(a.Message),
            Device = new ResourceReference { Display = a.Provenance },
        };
        foreach (var e in a.Evidence) obs.Note.Add(new Annotation { Text = new Markdown("evidence: " + e) });
        if (a.AcknowledgedBy is not null) obs.Note.Add(new Annotation { Text = new Markdown($"acknowledged by {a.AcknowledgedBy} at {a.AcknowledgedAt:O}") });
        return obs;
    }

    /// <summary>An OperationOutcome with one error issue.</summary>
    public static OperationOutcome Outcome(string message, OperationOutcome.IssueType type = OperationOutcome.IssueType.Invalid) => new()
    {
        Issue = [new OperationOutcome.IssueComponent { Severity = OperationOutcome.IssueSeverity.Error, Code = type, Diagnostics = message }],
    };

    private static (string? System, string Code) ParseToken(string token)
    {
        if (token.Length == 0) throw new FhirSearchException("code must not be empty");
        var bar = token.IndexOf('|');
        return bar < 0 ? (null, token) : (token[..bar].Length == 0 ? null : token[..bar], token[(bar + 1)..].Length > 0 ? token[(bar + 1)..] : throw new FhirSearchException($"code '{token}' has no code after '|'"));
    }

    private static string FhirId(string raw) => new(raw.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '-').Take(64).ToArray());
}
