namespace Vigil.Models.Cards;

/// <summary>
/// The card is valid but its model file is not on this machine (for example an asset kept
/// outside the repository under <c>${VIGIL_SHARED}</c>). Not a disagreement between card and
/// file: nothing could be checked.
/// </summary>
public sealed class ModelFileMissingException(string cardPath, string modelPath, string source)
    : ModelCardException(cardPath, "file",
        $"the model file '{modelPath}' is not present on this machine (it is not kept in the repository; source: {source}).")
{
    /// <summary>Where the file was looked for.</summary>
    public string ModelPath { get; } = modelPath;
}
