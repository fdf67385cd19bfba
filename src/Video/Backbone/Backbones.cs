namespace Vigil.Video.Backbone;

/// <summary>Opens a backbone file as the right kind: the packaged ResNet18 (known by sha256) as a CNN, anything else as VitTrack-shaped ViT.</summary>
public static class Backbones
{
    /// <summary>The CLI and card name of the CNN option.</summary>
    public const string ResNet18 = "resnet18";

    /// <summary>The CLI and card name of the default ViT.</summary>
    public const string VitTrack = "vittrack";

    /// <summary>Loads the backbone at <paramref name="path"/>, its edit cached in <paramref name="cacheDirectory"/>.</summary>
    public static IFrameBackbone Load(string path, string cacheDirectory, int intraOpThreads = 1)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{Path.GetFileName(path)}: backbone model not found ({path})", path);
        return Vigil.Models.Catalog.ModelFileHash.Sha256OfFile(path) == CnnEnergyBackbone.ResNet18Sha256
            ? CnnEnergyBackbone.LoadResNet18(path, cacheDirectory, intraOpThreads)
            : VitBackbone.Load(path, BackboneSpec.VitTrack, cacheDirectory, intraOpThreads);
    }

    /// <summary>
    /// The backbone file for a name or path: <c>resnet18</c> (or the ResNet18 spec name an adapter
    /// config records) → the NuGet package's file; <c>vittrack</c> (or its spec name) → <paramref name="vitTrackPath"/>;
    /// anything else is a path.
    /// </summary>
    public static string Resolve(string nameOrPath, string vitTrackPath) => nameOrPath switch
    {
        ResNet18 => CnnEnergyBackbone.ResNet18DefaultPath,
        _ when nameOrPath == BackboneSpec.ResNet18.Name => CnnEnergyBackbone.ResNet18DefaultPath,
        VitTrack => vitTrackPath,
        _ when nameOrPath == BackboneSpec.VitTrack.Name => vitTrackPath,
        _ => nameOrPath,
    };
}
