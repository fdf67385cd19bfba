using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;
using Vigil.BoneAge.Reporting;
using Vigil.Infrared.Fhir;
using Vigil.Ppg.Reporting;
using Vigil.WardConsole.Reports;
using Vigil.WardConsole.Thermal;
using Vigil.WardConsole.Ward;

namespace Vigil.WardConsole.Fhir;

/// <summary>
/// <c>GET /fhir/Observation</c>: heart-rate windows (LOINC 8867-4), breathing-rate windows (LOINC 9279-1, Vigil.Infrared's builder), bone-age estimates (LOINC 85151-9)
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

    /// <summary>Runs the search described by <paramref name="query"/>; breathing-rate windows come from <paramref name="thermal"/> when given.</summary>
    public static Bundle Run(IQueryCollection query, WardState ward, BoneAgeReports reports, DateTimeOffset now, string baseUrl, ThermalWard? thermal = null)
    {
        var search = SearchParameters.Parse(query, Known, "patient, date, code, _count");
        var codes = query.TryGetValue("code", out var cs) ? cs.SelectMany(c => (c ?? "").Split(',')).Select(ParseToken).ToArray() : [];
        var found = Find(search, codes, ward, reports, now, thermal);
        var bundle = new Bundle { Type = Bundle.BundleType.Searchset, Total = found.Count, Timestamp = now };
        foreach (var o in found.Take(search.Count))
            bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = $"{baseUrl}/fhir/Observation/{o.Id}", Resource = o, Search = new Bundle.SearchComponent { Mode = Bundle.SearchEntryMode.Match } });
        return bundle;
    }

    /// <summary>The Observation whose id is <paramref name="id"/> (<c>GET /fhir/Observation/{id}</c>), or null.</summary>
    public static Observation? Read(string id, WardState ward, BoneAgeReports reports, DateTimeOffset now, ThermalWard? thermal = null) =>
        Find(new SearchParameters(null, [], int.MaxValue), [], ward, reports, now, thermal).FirstOrDefault(o => o.Id == id);

    private static List<Observation> Find(SearchParameters search, (string? System, string Code)[] codes, WardState ward, BoneAgeReports reports, DateTimeOffset now, ThermalWard? thermal)
    {
        var patient = search.Patient;
        bool Wanted(string system, string code) => codes.Length == 0 || codes.Any(c => c.Code == code && (c.System is null || c.System == system));
        bool InDates(DateTimeOffset t) => search.InDates(t);

        var found = new List<Observation>();
        var patients = patient is null ? ward.PatientIds : [patient];
        if (Wanted("http://loinc.org", HeartRateObservation.HeartRateLoinc))
            foreach (var id in patients)
                foreach (var h in ward.History(id).Where(h => InDates(h.End)))
                    found.Add(HeartRateObservation.Build(h.Result, h.Start.AddSeconds(-h.Result.WindowStartSeconds), h.End));
        if (thermal is not null && Wanted("http://loinc.org", InfraredObservations.RespiratoryRateLoinc))
            foreach (var id in patient is null ? thermal.PatientIds : [patient])
                if (thermal.StreamStart(id) is { } start)
                    foreach (var b in thermal.Breathing(id).Where(b => InDates(b.End)))
                        found.Add(InfraredObservations.BreathingRate(b.Window, start, b.End));
        if (Wanted("http://loinc.org", FhirObservation.BoneAgeLoinc))
            foreach (var (id, row) in reports.All)
            {
                if (patient is not null && id != patient) continue;
                if (row.Status != ReportRow.Ok || row.BoneAgeMonths is null) continue;
                if (search.Dates.Count > 0 && (row.StudyDate is not { } sd || !InDates(new DateTimeOffset(sd.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)))) continue;
                found.Add(BoneAgeObservation(id, row, now));
            }
        foreach (var a in ward.Alerts)
        {
            if (patient is not null && a.PatientId != patient) continue;
            if (!Wanted(AlertSystem, a.Kind) || !InDates(a.Raised)) continue;
            found.Add(AlertObservation(a));
        }
        return found;
    }

    /// <summary>The bone-age Observation of <paramref name="row"/> (Vigil.BoneAge's builder), filed under <paramref name="patientId"/>.</summary>
    public static Observation BoneAgeObservation(string patientId, ReportRow row, DateTimeOffset issued)
    {
        var obs = FhirObservation.Build(row, issued);
        obs.Subject = new ResourceReference { Identifier = new Identifier("urn:vigil:patient-id", patientId), Display = $"patient {patientId}" };
        return obs;
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
