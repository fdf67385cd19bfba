using System.Globalization;
using Vigil.BoneAge.Reporting;

namespace Vigil.WardConsole.Reports;

/// <summary>
/// Bone-age reports served by the console, read from a <c>report.csv</c> written by
/// <c>vigil boneage score</c>. A study is filed under the patient named by its image's file name
/// without extension (the scorer knows images, not patients; a PACS link would supply the mapping).
/// </summary>
public sealed class BoneAgeReports
{
    private readonly IReadOnlyList<(string PatientId, ReportRow Row)> _rows;

    /// <summary>Reports held in memory (tests, or a host that scores itself); relative image paths are resolved against <paramref name="baseFolder"/>, then the working directory.</summary>
    public BoneAgeReports(IEnumerable<(string PatientId, ReportRow Row)> rows, string? baseFolder = null)
    {
        _rows = rows.ToArray();
        BaseFolder = baseFolder;
    }

    /// <summary>The folder of the report file (relative image paths are looked up there first), or null.</summary>
    public string? BaseFolder { get; }

    /// <summary>The study <paramref name="studyId"/> (see <see cref="BoneAgeStudy.Id"/>), or null.</summary>
    public (string PatientId, ReportRow Row)? Study(string studyId)
    {
        foreach (var r in _rows)
            if (BoneAgeStudy.Id(r.Row) == studyId) return r;
        return null;
    }

    /// <summary>
    /// Where the image of <paramref name="row"/> is: its path as written when absolute; else beside the
    /// report, in the working directory, or its file name beside the report (the first that exists); null when none does.
    /// </summary>
    public string? ImagePath(ReportRow row)
    {
        if (row.Image.Length == 0) return null;
        if (Path.IsPathRooted(row.Image)) return File.Exists(row.Image) ? row.Image : null;
        var candidates = new List<string>();
        if (BaseFolder is not null) candidates.Add(Path.Combine(BaseFolder, row.Image));
        candidates.Add(Path.GetFullPath(row.Image));
        if (BaseFolder is not null) candidates.Add(Path.Combine(BaseFolder, Path.GetFileName(row.Image)));
        return candidates.FirstOrDefault(File.Exists);
    }

    /// <summary>Every report.</summary>
    public IReadOnlyList<(string PatientId, ReportRow Row)> All => _rows;

    /// <summary>Reports of <paramref name="patientId"/>.</summary>
    public IEnumerable<ReportRow> For(string patientId) => _rows.Where(r => r.PatientId == patientId).Select(r => r.Row);

    /// <summary>Reads <paramref name="path"/>; throws <see cref="InvalidDataException"/> naming the file and line when it is not a bone-age report.</summary>
    public static BoneAgeReports Load(string? path)
    {
        if (path is null) return new BoneAgeReports([]);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: bone-age report not found", path);
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0) return new BoneAgeReports([]);
        var header = Csv.Split(lines[0]);
        int Col(string name) => header.IndexOf(name);
        if (Col("image") < 0 || Col("status") < 0 || Col("bone_age_months") < 0)
            throw new InvalidDataException($"{path}: not a bone-age report (needs image, status and bone_age_months columns)");
        var rows = new List<(string, ReportRow)>();
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            var f = Csv.Split(lines[i]);
            string S(string name) => Col(name) is var c && c >= 0 && c < f.Count ? f[c] : "";
            double? D(string name)
            {
                var s = S(name);
                if (s.Length == 0) return null;
                return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
                    : throw new InvalidDataException($"{path}:{i + 1}: {name} '{s}' is not a number");
            }
            var row = new ReportRow
            {
                Image = S("image"), Sha256 = S("sha256"), Status = S("status"), Reason = S("reason"), Sex = S("sex"),
                ChronologicalAgeMonths = D("chronological_age_months"), AgeSource = S("age_source"), BoneAgeMonths = D("bone_age_months"),
                DifferenceMonths = D("difference_months"), ReferenceSdMonths = D("reference_sd_months"), ZScore = D("z_score"), Flag = S("flag"),
                ModelId = S("model_id"), ModelVersion = S("model_version"), ModelSha256 = S("model_sha256"), ClinicalUse = S("clinical_use"),
                SopInstanceUid = S("sop_instance_uid"), Format = S("format"), Crop = S("crop"),
                BoneAgeLowMonths = D("bone_age_low_months"), BoneAgeHighMonths = D("bone_age_high_months"), Validation = S("validation"),
            };
            rows.Add((Path.GetFileNameWithoutExtension(row.Image), row));
        }
        return new BoneAgeReports(rows, Path.GetDirectoryName(Path.GetFullPath(path)));
    }
}
