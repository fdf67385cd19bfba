using System.Text.Json.Nodes;
using Vigil.Models.Catalog;
using Vigil.Tests.Common;

namespace Vigil.Models.Tests.Catalog;

/// <summary>A temporary folder with model files and cards derived from the shipped small-cnn card.</summary>
internal sealed class TempCardFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("vigil-cards-").FullName;

    public static string ShippedModels => System.IO.Path.Combine(SharedData.RepositoryRoot, "models");

    /// <summary>The shipped small-cnn card as editable JSON.</summary>
    public static JsonObject SmallCnnCard() =>
        JsonNode.Parse(File.ReadAllText(System.IO.Path.Combine(ShippedModels, "small-cnn.card.json")))!.AsObject();

    /// <summary>Writes <paramref name="model"/> as <paramref name="file"/> and a card for it (sha256 filled in unless given).</summary>
    public string Write(string cardName, JsonObject card, byte[] model, string file = "model.onnx", bool fixSha = true)
    {
        File.WriteAllBytes(System.IO.Path.Combine(Path, file), model);
        card["file"] = file;
        if (fixSha) card["sha256"] = ModelFileHash.Sha256Of(model);
        var cardPath = System.IO.Path.Combine(Path, cardName + ".card.json");
        File.WriteAllText(cardPath, card.ToJsonString());
        return cardPath;
    }

    public void Dispose() { try { Directory.Delete(Path, recursive: true); } catch (IOException) { } }
}
