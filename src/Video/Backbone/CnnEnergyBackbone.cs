using OpenCvSharp;
using Vigil.Models.Onnx;

namespace Vigil.Video.Backbone;

/// <summary>
/// A frozen CNN as the backbone: the spatial feature energy of an intermediate map stands in for
/// attention. The map (exposed as a graph output by the attention tap's ONNX edit,
/// <see cref="AttentionTap.LoadOrExpose"/>) gives per location k the energy e_k = Σ_c f_ck²,
/// normalised to sum 1: the heat map. The attention map has every row equal to e (each location
/// "attends" where the features are strong), so AM flow between two frames is
/// N·softmax(|e_t − e_t+1|): largest where the feature energy moved.
/// </summary>
public sealed class CnnEnergyBackbone : IFrameBackbone
{
    /// <summary>sha256 of <c>ResNet18.onnx</c> as NuGet <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c> 0.24.0 ships it.</summary>
    public const string ResNet18Sha256 = "e2552f19db2dfdb01b3669537b6a0f1b44da38d18279535492ed5dfc2ef1ff8f";

    /// <summary>ResNet18's third stage after its last ReLU: [1,256,14,14] at 224 px (stride 16).</summary>
    public const string ResNet18Stage3 = "ReLU347_Output_0";

    private const string PackagePath = "microsoft.ml.dnnimagefeaturizer.resnet18/0.24.0/tools/DnnImageModels/ResNet18Onnx/ResNet18.onnx";

    private readonly OnnxSession _session;
    private readonly string[] _requested;

    private CnnEnergyBackbone(OnnxSession session, TappedModel model, BackboneSpec spec, string featureMap)
    {
        _session = session;
        Model = model;
        Spec = spec;
        _requested = [featureMap];
    }

    /// <summary>Where NuGet puts the ResNet18 (PackageDownload in Vigil.Video.csproj): $NUGET_PACKAGES, else ~/.nuget/packages.</summary>
    public static string ResNet18DefaultPath =>
        Path.Combine(Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p ? p
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"), PackagePath);

    /// <inheritdoc />
    public TappedModel Model { get; }

    /// <inheritdoc />
    public BackboneSpec Spec { get; }

    /// <summary>Loads the packaged ImageNet ResNet18 (checked by sha256) with its third stage exposed.</summary>
    /// <exception cref="InvalidDataException">The file is missing or not the packaged one; the message says what to run.</exception>
    public static CnnEnergyBackbone LoadResNet18(string? path, string cacheDirectory, int intraOpThreads = 1)
    {
        path ??= ResNet18DefaultPath;
        if (!File.Exists(path))
            throw new InvalidDataException($"{path}: the ResNet18 backbone is missing; `dotnet restore src/Video` downloads it (PackageDownload Microsoft.ML.DnnImageFeaturizer.ResNet18 0.24.0)");
        var sha = Vigil.Models.Catalog.ModelFileHash.Sha256OfFile(path);
        if (sha != ResNet18Sha256) throw new InvalidDataException($"{path}: sha256 {sha}, expected {ResNet18Sha256} (not the ResNet18 of the 0.24.0 package)");
        return Load(path, BackboneSpec.ResNet18, ResNet18Stage3, cacheDirectory, intraOpThreads);
    }

    /// <summary>Loads any CNN at <paramref name="modelPath"/>, exposing <paramref name="featureMap"/> ([1,C,rows,columns] on <paramref name="spec"/>'s grid).</summary>
    public static CnnEnergyBackbone Load(string modelPath, BackboneSpec spec, string featureMap, string cacheDirectory, int intraOpThreads = 1)
    {
        var tapped = AttentionTap.LoadOrExpose(modelPath, cacheDirectory, [featureMap]);
        var session = OnnxSession.Load(tapped.TappedPath, new OnnxSessionOptions { ModelId = spec.Name, IntraOpThreads = intraOpThreads });
        return new CnnEnergyBackbone(session, tapped, spec, featureMap);
    }

    /// <inheritdoc />
    public FrameAttention Run(Mat bgr, int index, TimeSpan position)
    {
        var inputs = new NamedTensor[Spec.ImageInputs.Count];
        for (var i = 0; i < inputs.Length; i++)
            inputs[i] = new NamedTensor(Spec.ImageInputs[i].Input, Spec.Preprocess(bgr, Spec.ImageInputs[i].Size));
        using var result = _session.Run(inputs, _requested);
        var map = result.Get<float>(_requested[0]).Span;
        var heat = new float[Spec.Grid.Patches];
        Energy(map, Spec.Grid.Patches, heat, Spec.Name);
        var tokens = Spec.Grid.Tokens;
        var attention = new float[tokens * tokens];
        for (var q = 0; q < tokens; q++) heat.CopyTo(attention.AsSpan(q * tokens + Spec.Grid.Offset, Spec.Grid.Patches));
        // The hidden state is the same map, averaged over the locations (when the spec names it).
        var hidden = Spec.HiddenState is null ? []
            : Motion.HiddenStateFeatures.PoolLocations(map, Spec.HiddenWidth, $"{Spec.Name} '{_requested[0]}'");
        return new FrameAttention(index, position, attention, heat) { Hidden = hidden };
    }

    /// <summary>
    /// Per-location energy of a [C, locations] feature map, Σ_c f², normalised to sum 1 (uniform when
    /// the map is all zero), into <paramref name="heat"/>.
    /// </summary>
    internal static void Energy(ReadOnlySpan<float> map, int locations, Span<float> heat, string name)
    {
        if (map.Length == 0 || map.Length % locations != 0)
            throw new InvalidDataException($"{name}: feature map has {map.Length} values, not a multiple of {locations} locations");
        heat.Clear();
        var channels = map.Length / locations;
        for (var c = 0; c < channels; c++)
        {
            var plane = map.Slice(c * locations, locations);
            for (var k = 0; k < locations; k++) heat[k] += plane[k] * plane[k];
        }
        double total = 0;
        foreach (var v in heat)
        {
            if (!float.IsFinite(v)) throw new InvalidDataException($"{name}: feature map holds NaN or infinity");
            total += v;
        }
        if (total <= 0) { heat.Fill(1f / locations); return; }
        var inv = (float)(1 / total);
        for (var k = 0; k < locations; k++) heat[k] *= inv;
    }

    /// <summary>Releases the session.</summary>
    public void Dispose() => _session.Dispose();
}
