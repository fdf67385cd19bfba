using System.Text.Json;
using System.Text.RegularExpressions;

namespace Vigil.Models.Cards;

/// <summary>
/// Reads and validates model cards (<c>*.card.json</c>). The model path is resolved against the
/// card's folder after expanding a leading <c>${NAME}</c> from the given variables or the
/// environment (e.g. <c>${VIGIL_SHARED}/assets/models/pfld.onnx</c>).
/// </summary>
public static partial class ModelCardReader
{
    /// <summary>Card files are named <c>*.card.json</c>.</summary>
    public const string FilePattern = "*.card.json";

    /// <summary>The card format this reader understands.</summary>
    public const string SchemaName = "vigil.model-card/1";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
    };

    private static readonly HashSet<string> ElementTypes =
        ["float32", "float16", "float64", "bfloat16", "int64", "int32", "int16", "int8", "uint8", "uint16", "uint32", "uint64", "bool", "string"];

    /// <summary>Reads, validates and resolves the card at <paramref name="cardPath"/>.</summary>
    /// <exception cref="ModelCardException">The card is unreadable, malformed or incomplete.</exception>
    public static ModelCard Read(string cardPath, IReadOnlyDictionary<string, string>? variables = null)
    {
        var full = Path.GetFullPath(cardPath);
        ModelCard? card;
        try
        {
            using var stream = System.IO.File.OpenRead(full);
            card = JsonSerializer.Deserialize<ModelCard>(stream, Json);
        }
        catch (JsonException e)
        {
            throw new ModelCardException(full, e.Path ?? "$", $"malformed JSON ({e.Message})", e);
        }
        catch (IOException e)
        {
            throw new ModelCardException(full, "(file)", $"cannot be read ({e.Message})", e);
        }
        if (card is null) throw new ModelCardException(full, "$", "the card is empty (null).");
        card.CardPath = full;
        Validate(card);
        card.ModelPath = ResolveModelPath(card, variables);
        return card;
    }

    /// <summary>Serialises a card in the on-disk format.</summary>
    public static string Write(ModelCard card) => JsonSerializer.Serialize(card, Json);

    /// <summary>Reads a card from JSON text (for tests and tools); <paramref name="cardPath"/> anchors relative paths.</summary>
    public static ModelCard Parse(string json, string cardPath, IReadOnlyDictionary<string, string>? variables = null)
    {
        var full = Path.GetFullPath(cardPath);
        ModelCard? card;
        try { card = JsonSerializer.Deserialize<ModelCard>(json, Json); }
        catch (JsonException e) { throw new ModelCardException(full, e.Path ?? "$", $"malformed JSON ({e.Message})", e); }
        if (card is null) throw new ModelCardException(full, "$", "the card is empty (null).");
        card.CardPath = full;
        Validate(card);
        card.ModelPath = ResolveModelPath(card, variables);
        return card;
    }

    private static void Validate(ModelCard c)
    {
        void Require(bool ok, string field, string problem)
        {
            if (!ok) throw new ModelCardException(c.CardPath, field, problem);
        }
        Require(c.Schema == SchemaName, "schema", $"must be \"{SchemaName}\", got \"{c.Schema}\".");
        Require(IdPattern().IsMatch(c.Id), "id", $"must be lower-case letters, digits, '-', '_' or '.', got \"{c.Id}\".");
        Require(c.Version.Length > 0, "version", "is missing.");
        Require(c.File.Length > 0, "file", "is missing (path of the .onnx file, relative to the card).");
        Require(Sha256Pattern().IsMatch(c.Sha256), "sha256", $"must be 64 hex digits, got \"{c.Sha256}\".");
        Require(c.Task.Length > 0, "task", "is missing.");
        Require(c.Runtime is "onnxruntime" or "opencv-dnn" or "torchsharp", "runtime", $"must be onnxruntime, opencv-dnn or torchsharp, got \"{c.Runtime}\".");
        Require(c.Inputs.Count > 0, "inputs", "must list at least one input.");
        Require(c.Outputs.Count > 0, "outputs", "must list at least one output.");
        foreach (var (list, kind) in new[] { (c.Inputs, "inputs"), (c.Outputs, "outputs") })
            for (var i = 0; i < list.Count; i++)
            {
                var t = list[i];
                var at = $"{kind}[{(t.Name.Length > 0 ? t.Name : i.ToString(System.Globalization.CultureInfo.InvariantCulture))}]";
                Require(t.Name.Length > 0, at + ".name", "is missing.");
                Require(ElementTypes.Contains(t.ElementType), at + ".element_type",
                    $"\"{t.ElementType}\" is not one of {string.Join(", ", ElementTypes)}.");
                Require(t.Shape.Count > 0, at + ".shape", "is missing.");
                Require(t.Meaning.Length > 0, at + ".meaning", "must say what the values mean.");
                Require(list.Count(o => o.Name == t.Name) == 1, at, "is listed twice.");
            }
        if (c.Preprocessing is { } p)
        {
            Require(p.Width > 0 && p.Height > 0, "preprocessing.width/height", $"must be positive, got {p.Width}×{p.Height}.");
            Require(p.Layout is "NCHW" or "NHWC", "preprocessing.layout", $"must be NCHW or NHWC, got \"{p.Layout}\".");
            Require(p.ChannelOrder is "RGB" or "BGR" or "GRAY", "preprocessing.channel_order", $"must be RGB, BGR or GRAY, got \"{p.ChannelOrder}\".");
            Require(p.Mean.Count == p.Std.Count && p.Std.All(s => s != 0), "preprocessing.std", "needs one non-zero value per mean value.");
        }
        Require(c.IntendedUse is { Summary.Length: > 0 }, "intended_use.summary", "is missing.");
        Require(c.IntendedUse!.NotForClinicalUse is not null, "intended_use.not_for_clinical_use", "must be stated explicitly (true for demonstration models).");
        Require(c.Origin is { Source.Length: > 0 }, "provenance.source", "is missing.");
        Require(c.Origin!.Licence.Length > 0, "provenance.licence", "is missing (write what the source states, or 'none stated').");
    }

    private static string ResolveModelPath(ModelCard c, IReadOnlyDictionary<string, string>? variables)
    {
        var file = c.File;
        var m = VariablePattern().Match(file);
        if (m.Success)
        {
            var name = m.Groups[1].Value;
            var value = variables is not null && variables.TryGetValue(name, out var v) ? v : Environment.GetEnvironmentVariable(name);
            if (string.IsNullOrEmpty(value))
                throw new ModelCardException(c.CardPath, "file", $"uses ${{{name}}} but no value is set for it (set the {name} environment variable).");
            file = value + file[m.Length..];
        }
        return Path.GetFullPath(Path.Combine(Path.GetDirectoryName(c.CardPath)!, file));
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]*$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    private static partial Regex Sha256Pattern();

    [GeneratedRegex(@"^\$\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex VariablePattern();
}
