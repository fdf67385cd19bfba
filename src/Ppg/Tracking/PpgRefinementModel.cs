using System.Globalization;
using System.Text.Json;
using Vigil.Models.Cards;

namespace Vigil.Ppg.Tracking;

/// <summary>
/// The learned refinement of the spectral tracker: a small multilayer perceptron (trained with
/// TorchSharp by <c>vigil ppg train</c>) that reads the tracker's evidence about its own estimate
/// (<see cref="FeatureNames"/>) and gives the probability that the estimate is within 5 BPM of the
/// true heart rate. The tracker uses it as its confidence and to withhold windows it cannot
/// support. Inference is plain C# over the exported weights (a few hundred multiply-adds per
/// window), so serving needs no libtorch. Immutable and thread-safe: one instance serves every patient.
/// </summary>
public sealed class PpgRefinementModel
{
    private readonly float[] _mean, _std;
    private readonly float[][] _weights;   // per layer, row-major [out, in]
    private readonly float[][] _biases;
    private readonly int[] _sizes;         // layer widths, input first

    internal PpgRefinementModel(float[] mean, float[] std, float[][] weights, float[][] biases, int[] sizes, string provenance, double? withholdBelow = null)
    {
        _mean = mean; _std = std; _weights = weights; _biases = biases; _sizes = sizes; Provenance = provenance;
        MaxWidth = sizes.Max();
        WithholdBelow = withholdBelow;
    }

    /// <summary>
    /// The operating point chosen in training (on cross-fitted predictions of the training windows,
    /// never on test data): windows whose probability is below it are withheld. Null for weights
    /// written without one (the tracker then uses <see cref="PpgTrackerOptions.DefaultRefinedWithholdProbability"/>).
    /// </summary>
    public double? WithholdBelow { get; }

    /// <summary>Model id, version and weights sha256 (carried in every result's provenance).</summary>
    public string Provenance { get; }

    /// <summary>Names of the input features, in order.</summary>
    public static IReadOnlyList<string> FeatureNames => RefinementFeatures.Names;

    /// <summary>The weights file format name written into cards.</summary>
    public const string WeightsFormat = "vigil.ppg.mlp/1";

    internal int MaxWidth { get; }

    /// <summary>
    /// Loads a card written by <c>vigil ppg train</c>: checks the weights file's sha256 against the
    /// card and the shapes against the feature count. Errors name the card and what is wrong.
    /// </summary>
    public static PpgRefinementModel Load(string cardPath)
    {
        ModelCard card;
        try { card = ModelCardReader.Read(cardPath); }
        catch (Exception e) when (e is ModelCardException or IOException or JsonException)
        { throw new PpgInputException($"{cardPath}: not a readable model card: {e.Message}"); }
        if (!File.Exists(card.ModelPath)) throw new PpgInputException($"{cardPath}: weights file {card.ModelPath} does not exist.");
        var bytes = File.ReadAllBytes(card.ModelPath);
        var sha = Vigil.Models.Catalog.ModelFileHash.Sha256Of(bytes);
        if (!string.Equals(sha, card.Sha256, StringComparison.OrdinalIgnoreCase))
            throw new PpgInputException($"{cardPath}: weights {card.File} have sha256 {sha}, the card says {card.Sha256}.");
        return Parse(bytes, $"{card.Id}@{card.Version} sha256:{sha[..16]}", cardPath);
    }

    /// <summary>Parses weights JSON (format <see cref="WeightsFormat"/>); <paramref name="source"/> names it in errors.</summary>
    internal static PpgRefinementModel Parse(byte[] json, string provenance, string source)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.GetProperty("format").GetString() != WeightsFormat)
                throw new PpgInputException($"{source}: weights format is not {WeightsFormat}.");
            var mean = Floats(root.GetProperty("mean"));
            var std = Floats(root.GetProperty("std"));
            if (mean.Length != RefinementFeatures.Count || std.Length != RefinementFeatures.Count)
                throw new PpgInputException($"{source}: expects {mean.Length} features, the tracker gives {RefinementFeatures.Count}.");
            var layers = root.GetProperty("layers").EnumerateArray().ToList();
            var sizes = new List<int> { RefinementFeatures.Count };
            var w = new List<float[]>(); var b = new List<float[]>();
            foreach (var layer in layers)
            {
                var bias = Floats(layer.GetProperty("bias"));
                var weight = Floats(layer.GetProperty("weight"));
                if (weight.Length != bias.Length * sizes[^1])
                    throw new PpgInputException($"{source}: layer {w.Count + 1} has {weight.Length} weights, expected {bias.Length}×{sizes[^1]}.");
                w.Add(weight); b.Add(bias); sizes.Add(bias.Length);
            }
            if (sizes[^1] != 1) throw new PpgInputException($"{source}: the last layer must have one output, has {sizes[^1]}.");
            double? withholdBelow = null;
            if (root.TryGetProperty("withhold_below", out var op))
            {
                var v = op.GetDouble();
                if (!(v >= 0 && v < 1)) throw new PpgInputException($"{source}: withhold_below {v} is not a probability in [0, 1).");
                withholdBelow = v;
            }
            if (mean.Concat(std).Concat(w.SelectMany(x => x)).Concat(b.SelectMany(x => x)).Any(v => !float.IsFinite(v)) || std.Any(s => s <= 0))
                throw new PpgInputException($"{source}: weights contain non-finite values or non-positive scales.");
            return new PpgRefinementModel(mean, std, w.ToArray(), b.ToArray(), sizes.ToArray(), provenance, withholdBelow);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        { throw new PpgInputException($"{source}: malformed weights: {e.Message}"); }
    }

    /// <summary>Writes weights JSON in <see cref="WeightsFormat"/>.</summary>
    internal static byte[] Serialize(float[] mean, float[] std, IReadOnlyList<(float[] Weight, float[] Bias)> layers, double? withholdBelow = null)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("format", WeightsFormat);
            w.WriteStartArray("features"); foreach (var n in RefinementFeatures.Names) w.WriteStringValue(n); w.WriteEndArray();
            Write(w, "mean", mean);
            Write(w, "std", std);
            if (withholdBelow is { } op) w.WriteNumber("withhold_below", Math.Round(op, 4));
            w.WriteStartArray("layers");
            foreach (var (weight, bias) in layers) { w.WriteStartObject(); Write(w, "weight", weight); Write(w, "bias", bias); w.WriteEndObject(); }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return stream.ToArray();
    }

    private static void Write(Utf8JsonWriter w, string name, float[] values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteRawValue(v.ToString("R", CultureInfo.InvariantCulture));
        w.WriteEndArray();
    }

    private static float[] Floats(JsonElement e) => e.EnumerateArray().Select(v => v.GetSingle()).ToArray();

    /// <summary>Probability that the estimate described by <paramref name="features"/> is within 5 BPM; <paramref name="scratch"/> holds 2 × <see cref="MaxWidth"/> floats.</summary>
    internal double Probability(ReadOnlySpan<float> features, Span<float> scratch)
    {
        var a = scratch[..MaxWidth];
        var next = scratch.Slice(MaxWidth, MaxWidth);
        for (var i = 0; i < _sizes[0]; i++) a[i] = (features[i] - _mean[i]) / _std[i];
        for (var l = 0; l < _weights.Length; l++)
        {
            int n = _sizes[l], m = _sizes[l + 1];
            var w = _weights[l];
            for (var o = 0; o < m; o++)
            {
                var s = _biases[l][o];
                var row = w.AsSpan(o * n, n);
                for (var i = 0; i < n; i++) s += row[i] * a[i];
                next[o] = l < _weights.Length - 1 ? Math.Max(0, s) : s;
            }
            next[..m].CopyTo(a);
        }
        return 1 / (1 + Math.Exp(-a[0]));
    }
}
