using System.Globalization;
using Vigil.Imaging;

namespace Vigil.BoneAge.Scoring;

/// <summary>
/// Sex and chronological age per image from a CSV with header <c>image,sex,age_months</c>; images
/// are matched by file name. Sex is M/F (or male/female); a malformed line is an error naming it.
/// </summary>
public sealed class Manifest
{
    private readonly Dictionary<string, (PatientSex Sex, double? AgeMonths)> _entries;

    private Manifest(Dictionary<string, (PatientSex, double?)> entries) => _entries = entries;

    /// <summary>An empty manifest.</summary>
    public static Manifest Empty { get; } = new(new(StringComparer.Ordinal));

    /// <summary>Number of entries.</summary>
    public int Count => _entries.Count;

    /// <summary>Reads the CSV at <paramref name="path"/>.</summary>
    public static Manifest Read(string path)
    {
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0) throw new FormatException($"manifest {path} is empty (expected header image,sex,age_months)");
        var header = lines[0].Split(',').Select(h => h.Trim().ToLowerInvariant()).ToArray();
        int iImage = Array.IndexOf(header, "image"), iSex = Array.IndexOf(header, "sex"), iAge = Array.IndexOf(header, "age_months");
        if (iImage < 0 || iSex < 0 || iAge < 0)
            throw new FormatException($"manifest {path}: header must name image, sex and age_months, got '{lines[0]}'");
        var entries = new Dictionary<string, (PatientSex, double?)>(StringComparer.Ordinal);
        for (var n = 1; n < lines.Length; n++)
        {
            if (string.IsNullOrWhiteSpace(lines[n])) continue;
            var f = lines[n].Split(',').Select(s => s.Trim()).ToArray();
            if (f.Length < header.Length) throw new FormatException($"manifest {path} line {n + 1}: {f.Length} fields, expected {header.Length}");
            var sex = f[iSex].ToUpperInvariant() switch
            {
                "M" or "MALE" => PatientSex.Male,
                "F" or "FEMALE" => PatientSex.Female,
                "" => PatientSex.Unknown,
                _ => throw new FormatException($"manifest {path} line {n + 1}: sex '{f[iSex]}' is not M or F"),
            };
            double? age = null;
            if (f[iAge].Length > 0)
            {
                if (!double.TryParse(f[iAge], NumberStyles.Float, CultureInfo.InvariantCulture, out var a) || !double.IsFinite(a) || a < 0)
                    throw new FormatException($"manifest {path} line {n + 1}: age_months '{f[iAge]}' is not a non-negative number");
                age = a;
            }
            entries[Path.GetFileName(f[iImage])] = (sex, age);
        }
        return new Manifest(entries);
    }

    /// <summary>The entry for <paramref name="imagePath"/>'s file name, if any.</summary>
    public (PatientSex Sex, double? AgeMonths)? Find(string imagePath) =>
        _entries.TryGetValue(Path.GetFileName(imagePath), out var e) ? e : null;
}
