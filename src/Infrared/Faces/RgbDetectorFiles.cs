using Vigil.Models.Catalog;
using Vigil.Models.Cards;
using Vigil.Models.Onnx;

namespace Vigil.Infrared.Faces;

/// <summary>Opens the shared RGB face models, checking each file's sha256 against the MANIFEST value it was stored with.</summary>
internal static class RgbDetectorFiles
{
    public static (OnnxSession Session, ModelProvenance Provenance) Open(string path, string id, string version, string sha256Prefix)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: the {id} model is missing (it is in ../shared/assets/models).", path);
        var sha = ModelFileHash.Sha256OfFile(path);
        if (!sha.StartsWith(sha256Prefix, StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException($"{path}: sha256 {sha} does not start with {sha256Prefix} as the shared MANIFEST says.");
        return (OnnxSession.Load(path, new OnnxSessionOptions { IntraOpThreads = 1, ModelId = id }), new ModelProvenance(id, version, sha));
    }
}
