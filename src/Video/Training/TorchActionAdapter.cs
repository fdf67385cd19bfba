using Vigil.Models.Cards;
using Vigil.Models.Catalog;
using Vigil.Models.Training;
using Vigil.Video.Motion;
using Vigil.Video.Segments;
using static TorchSharp.torch;

namespace Vigil.Video.Training;

/// <summary>
/// A trained adapter run by TorchSharp inside the video graph: loads the card (weights checked
/// against the card's sha256) and its <c>.adapter.json</c> (checked against the sha256 the card records).
/// </summary>
public sealed class TorchActionAdapter : IActionAdapter, IDisposable
{
    private readonly AdapterModule _module;
    private readonly object _gate = new();

    internal TorchActionAdapter(AdapterModule module, AdapterConfig config, ModelCard? card)
    {
        _module = module;
        _module.eval();
        Config = config;
        Card = card;
    }

    /// <summary>The adapter's configuration (kind, sizes, normalisation, backbone).</summary>
    public AdapterConfig Config { get; }

    /// <summary>The card it was loaded from (null for a model still in training).</summary>
    public ModelCard? Card { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> Labels => Config.Labels;

    /// <inheritdoc />
    public int WindowFrames => Config.WindowFrames;

    /// <inheritdoc />
    public int FeatureDimension => Config.FeatureDimension;

    /// <inheritdoc />
    public MotionFeature Motion => Config.Motion;

    /// <inheritdoc />
    public HiddenStates HiddenStates => Config.HiddenStates;

    /// <summary>Loads an adapter card written by <c>vigil video train</c>.</summary>
    /// <exception cref="ModelCardException">The card, its weights or its config are missing or do not match.</exception>
    public static TorchActionAdapter Load(string cardPath)
    {
        var card = ModelCardReader.Read(cardPath);
        var configPath = Path.Combine(Path.GetDirectoryName(card.CardPath)!, card.Id + ".adapter.json");
        if (!File.Exists(configPath)) throw new ModelCardException(card.CardPath, "file", $"adapter config {configPath} does not exist.");
        var expected = card.Origin?.Notes ?? "";
        var actual = ModelFileHash.Sha256OfFile(configPath);
        if (!expected.Contains(actual, StringComparison.OrdinalIgnoreCase))
            throw new ModelCardException(card.CardPath, "provenance.notes", $"does not record the adapter config's sha256 {actual}.");
        var config = AdapterConfig.Parse(File.ReadAllText(configPath), Path.GetFileName(configPath));
        TorchSharpNative.EnsureLoaded();
        // Serving runs the adapter on one thread: its work per window is small, and libtorch's
        // OpenMP pool would otherwise spin on the cores the backbone's ONNX Runtime needs.
        set_num_threads(1);
        var module = new AdapterModule(config);
        TrainedModelCard.LoadWeights(card, module);
        return new TorchActionAdapter(module, config, card);
    }

    /// <inheritdoc />
    public float[][] Score(IReadOnlyList<float[]> window)
    {
        var frames = window.Count;
        if (frames == 0 || frames > WindowFrames) throw new ArgumentException($"window of {frames} frames; the adapter takes 1..{WindowFrames}");
        var d = FeatureDimension;
        var x = new float[frames * d];
        for (var i = 0; i < frames; i++)
        {
            if (window[i].Length != d) throw new ArgumentException($"frame {i} has {window[i].Length} features, the adapter expects {d}");
            for (var k = 0; k < d; k++) x[i * d + k] = (window[i][k] - Config.Mean[k]) / Config.Std[k];
        }
        float[] p;
        lock (_gate)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var logits = _module.call(tensor(x, [1, frames, d]));
            p = nn.functional.sigmoid(logits).data<float>().ToArray();
        }
        var labels = Labels.Count;
        return Enumerable.Range(0, frames).Select(i => p.AsSpan(i * labels, labels).ToArray()).ToArray();
    }

    internal AdapterModule Module => _module;

    /// <summary>Releases the module.</summary>
    public void Dispose() => _module.Dispose();
}
