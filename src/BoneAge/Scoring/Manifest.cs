using System.Globalization;
using Vigil.BoneAge.Reporting;
using Vigil.Imaging;

namespace Vigil.BoneAge.Scoring;

/// <summary>
/// Sex, chronological age and (optionally) a reference bone-age reading per image, from a CSV.
/// Two layouts are read, recognised by their header (other columns are ignored):
/// <list type="bullet">
/// <item>Vigil's: <c>image,sex,age_months</c> (sex M/F or male/female; <c>boneage_months</c> optional);</item>
/// <item>RSNA's: <c>id,boneage,male</c> (male True/False), where <c>boneage</c> is the radiologists'
/// bone-age reading, kept as the reference, never used as the chronological age.</item>
/// </list>
/// Images are matched by file name without extension (so the id <c>1377</c> matches
/// <c>1377.png</c>), or by the number after <c>rsna_</c> (<c>rsna_1377.jpg</c>). Every problem is a <see cref="FormatException"/> whose
/// message names the file, the line and what is wrong.
/// </summary>
public sealed class Manifest
{
    private readonly Dictionary<string, ManifestEntry> _entries;

    private Manifest(Dictionary<string, ManifestEntry> entries) => _entries = entries;

    /// <summary>An empty manifest.</summary>
    public static Manifest Empty { get; } = new(new(StringComparer.OrdinalIgnoreCase));

    /// <summary>Number of entries.</summary>
    public int Count => _entries.Count;

    private static readonly string[] IdColumns = ["image", "file", "id"];
    private static readonly string[] ReferenceColumns = ["boneage_months", "boneage", "bone_age_months"];

    /// <summary>Reads the CSV at <paramref name="path"/>.</summary>
    public static Manifest Read(string path)
    {
        string[] lines;
        try { lines = File.ReadAllLines(path); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new FormatException($"manifest {path}: file not found");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FormatException($"manifest {path}: cannot be read ({e.Message})");
        }
        if (lines.Length == 0 || string.IsNullOrWhiteSpace(lines[0]))
            throw new FormatException($"manifest {path}: file is empty (expected a header: image,sex,age_months or RSNA's id,boneage,male)");
        if (lines[0].Contains('\0', StringComparison.Ordinal))
            throw new FormatException($"manifest {path}: not a text CSV file (binary content)");
        var header = Csv.Split(lines[0]).Select(h => h.Trim().TrimStart('\uFEFF').ToLowerInvariant()).ToList();
        int Column(params string[] names) => names.Select(n => header.IndexOf(n)).FirstOrDefault(i => i >= 0, -1);
        int iId = Column(IdColumns), iSex = Column("sex"), iMale = Column("male"), iAge = Column("age_months"), iRef = Column(ReferenceColumns);
        if (iId < 0 || (iSex < 0 && iMale < 0 && iAge < 0))
            throw new FormatException(
                $"manifest {path}: header '{lines[0]}' is not a manifest layout: expected image,sex,age_months (Vigil) or id,boneage,male (RSNA)");
        var entries = new Dictionary<string, ManifestEntry>(StringComparer.OrdinalIgnoreCase);
        var firstLine = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var n = 1; n < lines.Length; n++)
        {
            if (string.IsNullOrWhiteSpace(lines[n])) continue;
            var where = $"manifest {path} line {n + 1}";
            var f = Csv.Split(lines[n]).Select(s => s.Trim()).ToArray();
            if (f.Length < header.Count) throw new FormatException($"{where}: {f.Length} fields, expected {header.Count} as in the header");
            var id = f[iId];
            if (id.Length == 0) throw new FormatException($"{where}: {header[iId]} is empty");
            var sex = iSex >= 0 ? ParseSex(f[iSex], where) : iMale >= 0 ? ParseMale(f[iMale], where) : PatientSex.Unknown;
            var age = iAge >= 0 ? ParseMonths(f[iAge], "age_months", where) : null;
            var reference = iRef >= 0 ? ParseMonths(f[iRef], header[iRef], where) : null;
            var key = Key(id);
            if (firstLine.TryGetValue(key, out var earlier)) throw new FormatException($"{where}: {id} is listed twice (first on line {earlier})");
            firstLine[key] = n + 1;
            entries[key] = new ManifestEntry(sex, age, reference);
        }
        return new Manifest(entries);
    }

    /// <summary>The entry for <paramref name="imagePath"/> (see the class notes for matching), if any.</summary>
    public ManifestEntry? Find(string imagePath)
    {
        var stem = Key(imagePath);
        if (_entries.TryGetValue(stem, out var e)) return e;
        return stem.StartsWith("rsna_", StringComparison.OrdinalIgnoreCase) && _entries.TryGetValue(stem[5..], out e) ? e : null;
    }

    // Entries are stored under the file name without extension, so an RSNA id "1377" meets 1377.png.
    private static string Key(string id) => Path.GetFileNameWithoutExtension(Path.GetFileName(id));

    private static PatientSex ParseSex(string v, string where) => v.ToUpperInvariant() switch
    {
        "M" or "MALE" => PatientSex.Male,
        "F" or "FEMALE" => PatientSex.Female,
        "" => PatientSex.Unknown,
        _ => throw new FormatException($"{where}: sex '{v}' is not M or F"),
    };

    private static PatientSex ParseMale(string v, string where) => v.ToUpperInvariant() switch
    {
        "TRUE" or "1" or "YES" => PatientSex.Male,
        "FALSE" or "0" or "NO" => PatientSex.Female,
        "" => PatientSex.Unknown,
        _ => throw new FormatException($"{where}: male '{v}' is not True or False"),
    };

    private static double? ParseMonths(string v, string column, string where)
    {
        if (v.Length == 0) return null;
        if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var a) || !double.IsFinite(a) || a < 0 || a > 1200)
            throw new FormatException($"{where}: {column} '{v}' is not a number of months between 0 and 1200");
        return a;
    }
}

/// <summary>What a manifest says about one image.</summary>
/// <param name="Sex">Patient sex (Unknown when not given).</param>
/// <param name="AgeMonths">Chronological age in months, if given.</param>
/// <param name="ReferenceBoneAgeMonths">A reader's bone age for the image (RSNA's <c>boneage</c>), if given: for comparison only.</param>
public sealed record ManifestEntry(PatientSex Sex, double? AgeMonths, double? ReferenceBoneAgeMonths);
