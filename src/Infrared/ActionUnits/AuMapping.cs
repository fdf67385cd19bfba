using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vigil.Infrared.ActionUnits;

/// <summary>One row of the blendshape → FACS table: <c>clamp((combine(blendshapes) - offset) * scale, 0, 1)</c>.</summary>
/// <param name="Au">The action unit, e.g. <c>AU4</c>.</param>
/// <param name="Name">FACS name, e.g. <c>brow lowerer</c>.</param>
/// <param name="Blendshapes">Blendshape names combined.</param>
/// <param name="Combine"><c>mean</c> or <c>max</c>.</param>
/// <param name="Offset">Subtracted after combining (default 0).</param>
/// <param name="Scale">Multiplied after the offset (default 1).</param>
public sealed record AuRule(string Au, string Name, IReadOnlyList<string> Blendshapes, string Combine, double Offset, double Scale);

/// <summary>
/// The documented mapping from MediaPipe's 52 blendshapes to FACS action-unit intensities, read from a
/// JSON file (<c>models/action-units/blendshapes-to-facs.json</c>, schema <c>vigil.au-mapping/1</c>).
/// </summary>
public sealed class AuMapping
{
    /// <summary>The schema name the file must carry.</summary>
    public const string SchemaName = "vigil.au-mapping/1";

    private readonly int[][] _indices;

    private AuMapping(string id, string version, double threshold, IReadOnlyList<AuRule> rules, int[][] indices)
    {
        Id = id;
        Version = version;
        ActiveThreshold = threshold;
        Rules = rules;
        _indices = indices;
    }

    /// <summary>The mapping's id.</summary>
    public string Id { get; }

    /// <summary>The mapping's version.</summary>
    public string Version { get; }

    /// <summary>Intensity from which an AU is called active.</summary>
    public double ActiveThreshold { get; }

    /// <summary>The rules, in output order.</summary>
    public IReadOnlyList<AuRule> Rules { get; }

    /// <summary>The AU names in output order.</summary>
    public IReadOnlyList<string> ActionUnits => Rules.Select(r => r.Au).ToArray();

    /// <summary>Reads and validates <paramref name="path"/> against the blendshape names <paramref name="blendshapeLabels"/> (the landmarker card's labels, in score order).</summary>
    /// <exception cref="InvalidDataException">The file is malformed or names an unknown blendshape; the message names the file and the field.</exception>
    public static AuMapping Load(string path, IReadOnlyList<string> blendshapeLabels)
    {
        ArgumentNullException.ThrowIfNull(blendshapeLabels);
        if (!File.Exists(path)) throw new InvalidDataException($"{path}: AU mapping file not found.");
        MappingFile? file;
        try { file = JsonSerializer.Deserialize<MappingFile>(File.ReadAllText(path)); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not valid JSON ({e.Message}).", e); }
        if (file is null) throw new InvalidDataException($"{path}: empty.");
        if (file.Schema != SchemaName) throw new InvalidDataException($"{path}: schema is \"{file.Schema}\", \"{SchemaName}\" expected.");
        if (file.ActionUnits is not { Count: > 0 }) throw new InvalidDataException($"{path}: action_units is missing or empty.");
        var position = blendshapeLabels.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
        var rules = new List<AuRule>();
        var indices = new List<int[]>();
        foreach (var (row, i) in file.ActionUnits.Select((r, i) => (r, i)))
        {
            var where = $"{path}: action_units[{i}]";
            if (string.IsNullOrWhiteSpace(row.Au)) throw new InvalidDataException($"{where}.au is missing.");
            if (rules.Any(r => r.Au == row.Au)) throw new InvalidDataException($"{where}.au {row.Au} appears twice.");
            if (row.Blendshapes is not { Count: > 0 }) throw new InvalidDataException($"{where}.blendshapes is missing or empty.");
            var combine = row.Combine ?? "mean";
            if (combine is not ("mean" or "max")) throw new InvalidDataException($"{where}.combine is \"{combine}\"; mean or max expected.");
            var scale = row.Scale ?? 1;
            var offset = row.Offset ?? 0;
            if (!double.IsFinite(scale) || scale <= 0 || !double.IsFinite(offset)) throw new InvalidDataException($"{where}: scale must be positive and offset finite.");
            indices.Add(row.Blendshapes.Select(b => position.TryGetValue(b, out var k) ? k
                : throw new InvalidDataException($"{where}.blendshapes names \"{b}\", which the landmarker does not produce.")).ToArray());
            rules.Add(new AuRule(row.Au, row.Name ?? "", row.Blendshapes, combine, offset, scale));
        }
        return new AuMapping(file.Id ?? Path.GetFileNameWithoutExtension(path), file.Version ?? "", file.ActiveThreshold ?? 0.5, rules, indices.ToArray());
    }

    /// <summary>AU intensities in [0, 1] from one face's blendshape scores (in the labels' order).</summary>
    /// <exception cref="ArgumentException">Too few scores, or a score that is not finite.</exception>
    public float[] Apply(ReadOnlySpan<float> blendshapes)
    {
        var needed = _indices.Max(ix => ix.Max()) + 1;
        if (blendshapes.Length < needed) throw new ArgumentException($"{blendshapes.Length} blendshape scores given, at least {needed} expected.", nameof(blendshapes));
        var result = new float[Rules.Count];
        for (var r = 0; r < Rules.Count; r++)
        {
            var rule = Rules[r];
            double value = rule.Combine == "max" ? double.MinValue : 0;
            foreach (var k in _indices[r])
            {
                var v = blendshapes[k];
                if (!float.IsFinite(v)) throw new ArgumentException($"blendshape {rule.Blendshapes[Array.IndexOf(_indices[r], k)]} is {v}.", nameof(blendshapes));
                value = rule.Combine == "max" ? Math.Max(value, v) : value + v / (double)_indices[r].Length;
            }
            result[r] = (float)Math.Clamp((value - rule.Offset) * rule.Scale, 0, 1);
        }
        return result;
    }

    private sealed class MappingFile
    {
        [JsonPropertyName("schema")] public string? Schema { get; init; }
        [JsonPropertyName("id")] public string? Id { get; init; }
        [JsonPropertyName("version")] public string? Version { get; init; }
        [JsonPropertyName("active_threshold")] public double? ActiveThreshold { get; init; }
        [JsonPropertyName("action_units")] public List<MappingRow>? ActionUnits { get; init; }
    }

    private sealed class MappingRow
    {
        [JsonPropertyName("au")] public string? Au { get; init; }
        [JsonPropertyName("name")] public string? Name { get; init; }
        [JsonPropertyName("blendshapes")] public List<string>? Blendshapes { get; init; }
        [JsonPropertyName("combine")] public string? Combine { get; init; }
        [JsonPropertyName("offset")] public double? Offset { get; init; }
        [JsonPropertyName("scale")] public double? Scale { get; init; }
    }
}
