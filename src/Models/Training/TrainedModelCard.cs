using Vigil.Models.Catalog;
using TorchSharp;
using Vigil.Models.Cards;

namespace Vigil.Models.Training;

/// <summary>
/// Turns a trained TorchSharp module into a model card: the weights file (<c>Module.save</c>), its
/// sha256, and the card with <c>runtime: torchsharp</c> and the training provenance (data set, split,
/// seed, metrics). The card is read back through <see cref="ModelCardReader"/>, so what is written is
/// what the catalog accepts.
/// </summary>
public static class TrainedModelCard
{
    /// <summary>Saves <paramref name="module"/> as <c>{card.Id}.weights</c> in <paramref name="directory"/> and writes <c>{card.Id}.card.json</c>.</summary>
    /// <param name="module">The trained module.</param>
    /// <param name="directory">Output folder (created when missing).</param>
    /// <param name="card">The card to write; its <c>File</c>, <c>Sha256</c> and <c>Runtime</c> are filled in here.</param>
    /// <returns>The card as read back from disk.</returns>
    public static ModelCard Save(torch.nn.Module module, string directory, ModelCard card)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(card);
        Directory.CreateDirectory(directory);
        var weights = card.Id + ".weights";
        var weightsPath = Path.Combine(directory, weights);
        module.save(weightsPath);
        return Write(directory, card, weights);
    }

    /// <summary>
    /// Writes <c>{card.Id}.card.json</c> for a weights file already in <paramref name="directory"/>
    /// (e.g. one written by the caller in its own format), computing its sha256.
    /// </summary>
    public static ModelCard Write(string directory, ModelCard card, string weightsFile)
    {
        ArgumentNullException.ThrowIfNull(card);
        var weightsPath = Path.Combine(directory, weightsFile);
        var complete = new ModelCard
        {
            Schema = ModelCardReader.SchemaName,
            Id = card.Id,
            Version = card.Version,
            File = weightsFile,
            Sha256 = ModelFileHash.Sha256OfFile(weightsPath),
            Task = card.Task,
            Description = card.Description,
            Inputs = card.Inputs,
            Outputs = card.Outputs,
            Preprocessing = card.Preprocessing,
            Labels = card.Labels,
            Postprocessing = card.Postprocessing,
            IntendedUse = card.IntendedUse,
            Origin = card.Origin,
            Runtime = "torchsharp",
            Training = card.Training,
        };
        var cardPath = Path.Combine(directory, card.Id + ".card.json");
        File.WriteAllText(cardPath, ModelCardReader.Write(complete) + "\n");
        return ModelCardReader.Read(cardPath);
    }

    /// <summary>
    /// Loads the card's weights into <paramref name="module"/> (same architecture) after checking the
    /// card is a TorchSharp card and the file's sha256 matches it.
    /// </summary>
    /// <exception cref="ModelCardException">Wrong runtime, missing file or sha256 mismatch.</exception>
    public static void LoadWeights(ModelCard card, torch.nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(module);
        if (card.Runtime != "torchsharp")
            throw new ModelCardException(card.CardPath, "runtime", $"is \"{card.Runtime}\"; TorchSharp weights need \"torchsharp\".");
        if (!File.Exists(card.ModelPath))
            throw new ModelCardException(card.CardPath, "file", $"{card.ModelPath} does not exist.");
        var actual = ModelFileHash.Sha256OfFile(card.ModelPath);
        if (!string.Equals(actual, card.Sha256, StringComparison.OrdinalIgnoreCase))
            throw new ModelCardException(card.CardPath, "sha256", $"{card.ModelPath} has sha256 {actual}, the card says {card.Sha256}.");
        TorchSharpNative.EnsureLoaded();
        module.load(card.ModelPath);
    }
}
