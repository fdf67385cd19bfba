using System.Globalization;

namespace Vigil.WardConsole.Fhir;

/// <summary>One FHIR <c>date</c> search value: a prefix (eq, ne, gt, lt, ge, le) and the span its precision covers.</summary>
/// <param name="Prefix">The comparison.</param>
/// <param name="Low">Start of the span the value names (inclusive).</param>
/// <param name="High">End of the span (exclusive).</param>
public sealed record DateBound(string Prefix, DateTimeOffset Low, DateTimeOffset High)
{
    private static readonly string[] Prefixes = ["eq", "ne", "gt", "lt", "ge", "le"];

    /// <summary>Parses <c>[prefix]YYYY[-MM[-DD[Thh:mm[:ss[.fff]][Z|±hh:mm]]]]</c>; throws <see cref="FhirSearchException"/> otherwise.</summary>
    public static DateBound Parse(string raw)
    {
        var prefix = raw.Length > 2 && Prefixes.Contains(raw[..2]) ? raw[..2] : "eq";
        var v = prefix == "eq" && !raw.StartsWith("eq", StringComparison.Ordinal) ? raw : raw[2..];
        var inv = CultureInfo.InvariantCulture;
        var utc = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;
        if (v.Length == 4 && int.TryParse(v, NumberStyles.None, inv, out var y) && y >= 1)
        {
            var s = new DateTimeOffset(y, 1, 1, 0, 0, 0, TimeSpan.Zero);
            return new DateBound(prefix, s, s.AddYears(1));
        }
        if (v.Length == 7 && DateTimeOffset.TryParseExact(v, "yyyy-MM", inv, utc, out var m)) return new DateBound(prefix, m, m.AddMonths(1));
        if (v.Length == 10 && DateTimeOffset.TryParseExact(v, "yyyy-MM-dd", inv, utc, out var d)) return new DateBound(prefix, d, d.AddDays(1));
        if (v.Length > 10 && v[10] == 'T' && DateTimeOffset.TryParse(v, inv, utc, out var t))
        {
            // A time without seconds covers its minute; with seconds, its second.
            var span = v.Length == 16 || (v.Length > 16 && v[16] != ':') ? TimeSpan.FromMinutes(1) : TimeSpan.FromSeconds(1);
            return new DateBound(prefix, t, t + span);
        }
        throw new FhirSearchException($"date '{raw}' is not a FHIR date (expected [eq|ne|gt|lt|ge|le]YYYY[-MM[-DD[Thh:mm:ss[Z]]]])");
    }

    /// <summary>Whether the instant <paramref name="t"/> satisfies the bound.</summary>
    public bool Matches(DateTimeOffset t) => Prefix switch
    {
        "gt" => t >= High,
        "ge" => t >= Low,
        "lt" => t < Low,
        "le" => t < High,
        "ne" => t < Low || t >= High,
        _ => t >= Low && t < High,
    };
}
