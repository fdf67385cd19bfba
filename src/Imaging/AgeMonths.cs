using System.Globalization;

namespace Vigil.Imaging;

/// <summary>Chronological age arithmetic in months.</summary>
public static class AgeMonths
{
    /// <summary>Days in an average Gregorian month (365.2425 / 12).</summary>
    public const double DaysPerMonth = 365.2425 / 12;

    /// <summary>Age in months between two dates: whole calendar months plus the remaining days as a fraction.</summary>
    public static double Between(DateOnly birth, DateOnly date)
    {
        var months = (date.Year - birth.Year) * 12 + (date.Month - birth.Month);
        var anchor = birth.AddMonths(months);
        if (anchor > date) { months--; anchor = birth.AddMonths(months); }
        return months + (date.DayNumber - anchor.DayNumber) / DaysPerMonth;
    }

    /// <summary>
    /// Parses a DICOM Age String (AS, PS3.5 6.2: "nnnD", "nnnW", "nnnM" or "nnnY") into months;
    /// null when malformed.
    /// </summary>
    public static double? FromDicomAgeString(string value)
    {
        var s = value.Trim();
        if (s.Length != 4 || !int.TryParse(s.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return null;
        return char.ToUpperInvariant(s[3]) switch
        {
            'Y' => n * 12.0,
            'M' => n,
            'W' => n * 7 / DaysPerMonth,
            'D' => n / DaysPerMonth,
            _ => null,
        };
    }

    /// <summary>Parses a DICOM date (DA, "YYYYMMDD"); null when absent or malformed.</summary>
    public static DateOnly? ParseDicomDate(string? value) =>
        value is { Length: 8 } && DateOnly.TryParseExact(value, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
}
