using System.Globalization;

namespace Vigil.Video.Segments;

/// <summary>
/// Segment tables as CSV. Ground truth: <c>clip,label,start_s,end_s</c> (one row per action);
/// results: <c>label,start_s,end_s,confidence</c> (one file per video).
/// </summary>
public static class SegmentCsv
{
    /// <summary>Reads a labels file: clip name → its segments. Malformed rows are errors naming the file and line.</summary>
    public static IReadOnlyDictionary<string, List<ActionSegment>> ReadLabels(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{Path.GetFileName(path)}: labels file not found ({path})", path);
        var result = new Dictionary<string, List<ActionSegment>>(StringComparer.Ordinal);
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || lines[0].Trim() != "clip,label,start_s,end_s")
            throw new InvalidDataException($"{Path.GetFileName(path)}: the header must be 'clip,label,start_s,end_s'");
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0) continue;
            var f = lines[i].Split(',');
            if (f.Length != 4
                || !double.TryParse(f[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var start)
                || !double.TryParse(f[3], NumberStyles.Float, CultureInfo.InvariantCulture, out var end)
                || !double.IsFinite(start) || !double.IsFinite(end) || end <= start || start < 0 || f[1].Length == 0)
                throw new InvalidDataException($"{Path.GetFileName(path)} line {i + 1}: expected clip,label,start_s,end_s with 0 <= start < end, got '{lines[i]}'");
            if (!result.TryGetValue(f[0], out var list)) result[f[0]] = list = [];
            list.Add(new ActionSegment(f[1], start, end));
        }
        return result;
    }

    /// <summary>Writes a labels file.</summary>
    public static void WriteLabels(string path, IEnumerable<(string Clip, ActionSegment Segment)> rows)
    {
        using var w = new StreamWriter(path);
        w.WriteLine("clip,label,start_s,end_s");
        foreach (var (clip, s) in rows)
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{clip},{s.Label},{s.StartSeconds:0.###},{s.EndSeconds:0.###}"));
    }

    /// <summary>Writes a video's detected segments.</summary>
    public static void WriteSegments(string path, IEnumerable<ActionSegment> segments)
    {
        using var w = new StreamWriter(path);
        w.WriteLine("label,start_s,end_s,confidence");
        foreach (var s in segments)
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{s.Label},{s.StartSeconds:0.###},{s.EndSeconds:0.###},{s.Confidence:0.###}"));
    }

    /// <summary>
    /// Reads a video's detected segments (<c>label,start_s,end_s,confidence</c>, as <see cref="WriteSegments"/>
    /// writes them). Malformed rows are errors naming the file and line.
    /// </summary>
    public static IReadOnlyList<ActionSegment> ReadSegments(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{Path.GetFileName(path)}: segments file not found ({path})", path);
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || lines[0].Trim() != "label,start_s,end_s,confidence")
            throw new InvalidDataException($"{Path.GetFileName(path)}: the header must be 'label,start_s,end_s,confidence'");
        var result = new List<ActionSegment>();
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0) continue;
            var f = lines[i].Split(',');
            if (f.Length != 4 || f[0].Length == 0
                || !double.TryParse(f[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var start)
                || !double.TryParse(f[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var end)
                || !double.TryParse(f[3], NumberStyles.Float, CultureInfo.InvariantCulture, out var confidence)
                || !double.IsFinite(start) || !double.IsFinite(end) || start < 0 || end <= start || !(confidence is >= 0 and <= 1))
                throw new InvalidDataException($"{Path.GetFileName(path)} line {i + 1}: expected label,start_s,end_s,confidence with 0 <= start < end and confidence in [0, 1], got '{lines[i]}'");
            result.Add(new ActionSegment(f[0], start, end, confidence));
        }
        return result;
    }

    /// <summary>Per-frame truth (frame i at its mid-time) for <paramref name="labels"/>.</summary>
    public static bool[][] FrameTruth(IReadOnlyList<ActionSegment> segments, IReadOnlyList<string> labels, int frames, double framesPerSecond) =>
        Enumerable.Range(0, frames).Select(i =>
        {
            var t = (i + 0.5) / framesPerSecond;
            return labels.Select(l => segments.Any(s => s.Label == l && s.Contains(t))).ToArray();
        }).ToArray();
}
