using OpenCvSharp;
using Vigil.Models.Onnx;
using Vigil.Models.Tensors;

namespace Vigil.Video.Backbone;

/// <summary>
/// A frozen ViT run by ONNX Runtime with its attention tapped (<see cref="AttentionTap"/>): one
/// frame in, its attention map and patch heat map out. Thread-safe (ORT sessions are).
/// </summary>
public sealed class VitBackbone : IFrameBackbone
{
    private readonly OnnxSession _session;
    private readonly string _attentionOutput;
    private readonly string[] _requested;

    private VitBackbone(OnnxSession session, TappedModel model, BackboneSpec spec)
    {
        _session = session;
        Model = model;
        Spec = spec;
        var block = spec.Block < 0 ? model.AttentionOutputs.Count + spec.Block : spec.Block;
        if (block < 0 || block >= model.AttentionOutputs.Count)
            throw new ArgumentException($"{spec.Name}: attention block {spec.Block} does not exist ({model.AttentionOutputs.Count} tapped)");
        _attentionOutput = model.AttentionOutputs[block];
        _requested = spec.HiddenState is null ? [_attentionOutput] : [_attentionOutput, spec.HiddenState];
    }

    /// <summary>The tapped model (source sha256 for provenance).</summary>
    public TappedModel Model { get; }

    /// <summary>How frames are fed and where the patches are.</summary>
    public BackboneSpec Spec { get; }

    /// <summary>
    /// Loads <paramref name="modelPath"/>, tapping its attention and exposing the spec's hidden-state
    /// tensor when it names one (edit cached in <paramref name="cacheDirectory"/> by sha256).
    /// </summary>
    public static VitBackbone Load(string modelPath, BackboneSpec spec, string cacheDirectory, int intraOpThreads = 1)
    {
        var tapped = AttentionTap.LoadOrEdit(modelPath, cacheDirectory, spec.AttentionBlocks, spec.HiddenState is null ? null : [spec.HiddenState]);
        var session = OnnxSession.Load(tapped.TappedPath, new OnnxSessionOptions { ModelId = spec.Name, IntraOpThreads = intraOpThreads });
        return new VitBackbone(session, tapped, spec);
    }

    /// <summary>Runs the backbone on one BGR frame.</summary>
    public FrameAttention Run(Mat bgr, int index, TimeSpan position)
    {
        var inputs = new NamedTensor[Spec.ImageInputs.Count];
        for (var i = 0; i < inputs.Length; i++)
            inputs[i] = new NamedTensor(Spec.ImageInputs[i].Input, Preprocess(bgr, Spec.ImageInputs[i].Size));
        using var result = _session.Run(inputs, _requested);
        var tensor = result.Get<float>(_attentionOutput);
        var tokens = Spec.Grid.Tokens;
        var all = tensor.Span;
        if (all.Length % (tokens * tokens) != 0)
            throw new InvalidDataException($"{Spec.Name}: attention output '{_attentionOutput}' has {all.Length} values, not a multiple of {tokens}x{tokens}");
        var heads = all.Length / (tokens * tokens);
        var attention = new float[tokens * tokens];
        for (var h = 0; h < heads; h++)
        {
            var head = all.Slice(h * tokens * tokens, tokens * tokens);
            for (var k = 0; k < attention.Length; k++) attention[k] += head[k];
        }
        if (heads > 1)
            for (var k = 0; k < attention.Length; k++) attention[k] /= heads;
        var heat = new float[Spec.Grid.Patches];
        Spec.Grid.ReceivedAttention(attention, heat);
        // Every frame carries the pooled hidden state when the spec names one, so features with and
        // without it come from the same run.
        var hidden = Spec.HiddenState is null ? []
            : Motion.HiddenStateFeatures.PoolTokens(result.Get<float>(Spec.HiddenState).Span, Spec.HiddenWidth, Spec.Grid.Offset, Spec.Grid.Patches, $"{Spec.Name} '{Spec.HiddenState}'");
        return new FrameAttention(index, position, attention, heat) { Hidden = hidden };
    }

    /// <summary>The frame as the backbone's input tensor [1,3,size,size] (<see cref="BackboneSpec.Preprocess"/>).</summary>
    internal DenseTensor<float> Preprocess(Mat bgr, int size)
    {
        return Spec.Preprocess(bgr, size);
    }

    /// <summary>Releases the session.</summary>
    public void Dispose() => _session.Dispose();
}
