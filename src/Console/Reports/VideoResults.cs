using System.Text.Json;
using System.Text.RegularExpressions;
using Vigil.Video.Segments;

namespace Vigil.WardConsole.Reports;

/// <summary>
/// Result folders of <c>vigil video run</c> served by the console: every subfolder of the configured
/// folder that holds a <c>segments.csv</c> is a run (its name is the run's id), read when asked (a run
/// added while the console runs appears at the next request). A run carries its segments, the
/// provenance from <c>events.json</c> (input and its sha256, backbone, adapter id/version/sha256 and
/// validation, NOT FOR CLINICAL USE, why segments were withheld) and its heat-map strips
/// (<c>heatmap.png</c>, <c>amflow.png</c>, <c>segment-NN-LABEL.png</c>). A malformed run is listed
/// with one line saying what is wrong, and the others are served.
/// </summary>
public sealed partial class VideoResults(string? folder)
{
    /// <summary>The configured folder, or null (no runs).</summary>
    public string? Folder { get; } = folder;

    /// <summary>Every run, ordered by id.</summary>
    public IReadOnlyList<VideoRun> Runs()
    {
        if (Folder is null || !Directory.Exists(Folder)) return [];
        return Directory.GetDirectories(Folder).Where(d => File.Exists(Path.Combine(d, "segments.csv")))
            .Select(Read).OrderBy(r => r.Id, StringComparer.Ordinal).ToArray();
    }

    /// <summary>The run <paramref name="id"/>, or null.</summary>
    public VideoRun? Run(string id)
    {
        if (Folder is null || !SafeName().IsMatch(id)) return null;
        var dir = Path.Combine(Folder, id);
        return File.Exists(Path.Combine(dir, "segments.csv")) ? Read(dir) : null;
    }

    /// <summary>The path of image <paramref name="name"/> of run <paramref name="id"/> when the run lists it, else null.</summary>
    public string? ImagePath(string id, string name) =>
        Run(id) is { } run && run.Images.Contains(name, StringComparer.Ordinal) ? Path.Combine(run.Folder, name) : null;

    private static VideoRun Read(string dir)
    {
        var id = Path.GetFileName(dir);
        var images = Directory.GetFiles(dir, "*.png").Select(Path.GetFileName).OfType<string>()
            .Where(n => SafeName().IsMatch(n)).Order(StringComparer.Ordinal).ToArray();
        try
        {
            var segments = SegmentCsv.ReadSegments(Path.Combine(dir, "segments.csv"));
            var e = ReadEvents(Path.Combine(dir, "events.json"));
            var list = segments.Select((s, i) =>
            {
                var strip = $"segment-{i + 1:D2}-{s.Label}.png";
                return new VideoSegment(i + 1, s.Label, s.StartSeconds, s.EndSeconds, s.Confidence, images.Contains(strip) ? strip : null);
            }).ToArray();
            return e with { Id = id, Folder = dir, Segments = list, Images = images };
        }
        catch (Exception ex) when (ex is InvalidDataException or JsonException or IOException)
        {
            return new VideoRun { Id = id, Folder = dir, Images = images, Error = $"{id}: {ex.Message}" };
        }
    }

    // Provenance from events.json (absent: the run says so).
    private static VideoRun ReadEvents(string path)
    {
        if (!File.Exists(path)) return new VideoRun { Id = "", Folder = "", Notice = "events.json missing: provenance unknown; NOT FOR CLINICAL USE" };
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        string? S(JsonElement e, string name) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var backbone = root.TryGetProperty("backbone", out var b) ? b : default;
        var adapter = root.TryGetProperty("adapter", out var a) ? a : default;
        return new VideoRun
        {
            Id = "", Folder = "",
            Input = S(root, "input"),
            InputSha256 = S(root, "input_sha256"),
            Backbone = S(backbone, "name") is { } bn ? $"{bn} (sha256 {S(backbone, "sha256")})" : null,
            Adapter = S(adapter, "id") is { } aid ? $"{aid} {S(adapter, "version")} (sha256 {S(adapter, "sha256")})" : null,
            Validation = S(adapter, "validation"),
            NotForClinicalUse = !root.TryGetProperty("not_for_clinical_use", out var n) || n.ValueKind != JsonValueKind.False,
            Notice = S(root, "notice"),
            Withheld = S(root, "withheld"),
        };
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")]
    private static partial Regex SafeName();
}
