using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Vigil.WardConsole.Fhir;

/// <summary>
/// The search parameters the console's FHIR searches share, parsed strictly: <c>patient</c> or
/// <c>subject</c> (<c>Patient/ID</c> or <c>ID</c>), <c>date</c> (repeatable, with prefixes),
/// <c>_count</c> (1–10000, default 100), <c>_format</c>; every other name must be in the search's own list.
/// </summary>
internal sealed record SearchParameters(string? Patient, IReadOnlyList<DateBound> Dates, int Count)
{
    /// <summary>Parses <paramref name="query"/>; <paramref name="known"/> are every parameter the search accepts (the shared ones included).</summary>
    public static SearchParameters Parse(IQueryCollection query, IReadOnlySet<string> known, string supported)
    {
        foreach (var key in query.Keys)
            if (!known.Contains(key)) throw new FhirSearchException($"unknown search parameter '{key}' (supported: {supported})");
        string? patient = null;
        foreach (var key in new[] { "patient", "subject" })
            if (query.TryGetValue(key, out var p))
            {
                if (p.Count != 1 || string.IsNullOrWhiteSpace(p[0])) throw new FhirSearchException($"{key} must be given once with a value");
                patient = p[0]!.StartsWith("Patient/", StringComparison.Ordinal) ? p[0]![8..] : p[0];
            }
        var dates = query.TryGetValue("date", out var ds) ? ds.Select(d => DateBound.Parse(d ?? "")).ToArray() : [];
        var count = 100;
        if (query.TryGetValue("_count", out var n) && (!int.TryParse(n[0], NumberStyles.None, CultureInfo.InvariantCulture, out count) || count < 1 || count > 10_000))
            throw new FhirSearchException($"_count '{n}' must be a whole number from 1 to 10000");
        return new SearchParameters(patient, dates, count);
    }

    /// <summary>Whether the instant <paramref name="t"/> satisfies every date bound.</summary>
    public bool InDates(DateTimeOffset t) => Dates.All(d => d.Matches(t));
}
