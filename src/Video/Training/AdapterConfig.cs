using System.Text.Json;
using System.Text.Json.Serialization;
using Vigil.Video.Motion;

namespace Vigil.Video.Training;

/// <summary>
/// What is needed to rebuild an adapter before loading its weights: kind, sizes, labels and the
/// feature normalisation; written beside the weights as <c>{id}.adapter.json</c>.
/// </summary>
public sealed record AdapterConfig
{
    /// <summary>Format tag.</summary>
    public string Format { get; init; } = "vigil.video.adapter/1";

    /// <summary>The temporal unit.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter))]
    public AdapterKind Kind { get; init; }

    /// <summary>Frames per window.</summary>
    public int WindowFrames { get; init; }

    /// <summary>Values per frame.</summary>
    public int FeatureDimension { get; init; }

    /// <summary>
    /// The motion signal in the features (<c>am-flow</c>, <c>optical-flow</c> or <c>both</c>): what
    /// inference must compute for this adapter. A config without it (written before the option existed) is <c>am-flow</c>.
    /// </summary>
    [JsonConverter(typeof(JsonStringEnumConverter))]
    public MotionFeature Motion { get; init; } = MotionFeature.AmFlow;

    /// <summary>
    /// Whether the features end with the backbone's pooled hidden state (<c>none</c> or <c>pooled</c>,
    /// JSON <c>hidden_states</c>). A config without it (written before the option existed) is <c>none</c>.
    /// </summary>
    [JsonConverter(typeof(JsonStringEnumConverter))]
    public HiddenStates HiddenStates { get; init; } = HiddenStates.None;

    /// <summary>Width of the adapter.</summary>
    public int Hidden { get; init; }

    /// <summary>Output labels in order.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>Per-feature mean subtracted before the adapter.</summary>
    public float[] Mean { get; init; } = [];

    /// <summary>Per-feature standard deviation divided by before the adapter.</summary>
    public float[] Std { get; init; } = [];

    /// <summary>Sampling rate the adapter was trained at (frames per second).</summary>
    public double FramesPerSecond { get; init; }

    /// <summary>The backbone's name and sha256 (features from another backbone mean nothing to this adapter).</summary>
    public string Backbone { get; init; } = "";

    /// <summary>sha256 of the backbone file.</summary>
    public string BackboneSha256 { get; init; } = "";

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = false, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Serialises the config.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Options);

    /// <summary>Reads a config; a malformed one is an error naming <paramref name="source"/>.</summary>
    public static AdapterConfig Parse(string json, string source)
    {
        AdapterConfig? config;
        try { config = JsonSerializer.Deserialize<AdapterConfig>(json, Options); }
        catch (JsonException e) { throw new InvalidDataException($"{source}: malformed adapter config ({e.Message})", e); }
        if (config is null || config.Format != "vigil.video.adapter/1") throw new InvalidDataException($"{source}: not a vigil.video.adapter/1 config");
        if (config.WindowFrames < 1 || config.FeatureDimension < 1 || config.Hidden < 1 || config.Labels.Count == 0)
            throw new InvalidDataException($"{source}: adapter config has non-positive sizes or no labels");
        if (!Enum.IsDefined(config.HiddenStates))
            throw new InvalidDataException($"{source}: unknown hidden_states '{config.HiddenStates}'");
        if (!Enum.IsDefined(config.Motion) || !Fits(config))
            throw new InvalidDataException($"{source}: {config.FeatureDimension} values per frame cannot hold the {MotionFeatures.Blocks(config.Motion)} per-patch blocks of motion '{config.Motion}'"
                + (config.HiddenStates == HiddenStates.Pooled ? $" and 1..{HiddenStateFeatures.MaxValues} pooled hidden-state values" : ""));
        if (config.Mean.Length != config.FeatureDimension || config.Std.Length != config.FeatureDimension)
            throw new InvalidDataException($"{source}: normalisation has {config.Mean.Length}/{config.Std.Length} values for {config.FeatureDimension} features");
        return config;
    }

    // Blocks × patches, plus 1..32 pooled hidden values when the config says pooled.
    private static bool Fits(AdapterConfig config)
    {
        var blocks = MotionFeatures.Blocks(config.Motion);
        if (config.HiddenStates == HiddenStates.None) return config.FeatureDimension % blocks == 0;
        for (var pooled = 1; pooled <= HiddenStateFeatures.MaxValues; pooled++)
            if (config.FeatureDimension > pooled && (config.FeatureDimension - pooled) % blocks == 0) return true;
        return false;
    }
}
