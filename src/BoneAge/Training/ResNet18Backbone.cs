using TorchSharp;
using Vigil.Models.Training;
using Vigil.Models.Training.OnnxImport;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Vigil.BoneAge.Training;

/// <summary>
/// The frozen ImageNet ResNet18 of NuGet <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c> 0.24.0,
/// run by TorchSharp at any input size. Features for bone age: the last block's map (512 channels,
/// stride 32) beside the third block's map average-pooled to the same grid (256 channels), 768 in all.
/// </summary>
public sealed class ResNet18Backbone : IDisposable
{
    /// <summary>sha256 of <c>ResNet18.onnx</c> as the package ships it.</summary>
    public const string Sha256 = "e2552f19db2dfdb01b3669537b6a0f1b44da38d18279535492ed5dfc2ef1ff8f";
    /// <summary>Channels of <see cref="Features"/>.</summary>
    public const int Channels = 768;
    private const string Layer3 = "ReLU347_Output_0";
    private const string Layer4 = "ReLU393_Output_0";
    private const string PackagePath = "microsoft.ml.dnnimagefeaturizer.resnet18/0.24.0/tools/DnnImageModels/ResNet18Onnx/ResNet18.onnx";

    private readonly OnnxTorchModule _module;

    private ResNet18Backbone(OnnxTorchModule module) => _module = module;

    /// <summary>Where the ONNX file is expected: $NUGET_PACKAGES, else ~/.nuget/packages.</summary>
    public static string DefaultPath =>
        Path.Combine(Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p ? p
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"), PackagePath);

    /// <summary>Loads the backbone after checking the file's sha256.</summary>
    /// <exception cref="InvalidDataException">The file is missing or not the expected one; the message says what to run.</exception>
    public static ResNet18Backbone Load(string? path = null)
    {
        path ??= DefaultPath;
        if (!File.Exists(path))
            throw new InvalidDataException($"{path}: the ResNet18 backbone is missing; `dotnet restore src/BoneAge` downloads it (PackageDownload Microsoft.ML.DnnImageFeaturizer.ResNet18 0.24.0).");
        var sha = Vigil.Models.Catalog.ModelFileHash.Sha256OfFile(path);
        if (sha != Sha256) throw new InvalidDataException($"{path}: sha256 {sha}, expected {Sha256} (not the ResNet18 of the 0.24.0 package).");
        return new ResNet18Backbone(new OnnxTorchModule(OnnxGraph.Read(path)));
    }

    /// <summary>Features of a batch <c>[N, 3, S, S]</c> (BGR minus the ImageNet mean): <c>[N, 768, S/32, S/32]</c>.</summary>
    public Tensor Features(Tensor batch)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var maps = _module.Run(batch, Layer3, Layer4);
        var pooled = F.avg_pool2d(maps[0], [2, 2], [2, 2]);
        return cat([pooled, maps[1]], 1).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose() => _module.Dispose();
}
