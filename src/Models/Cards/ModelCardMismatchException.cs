namespace Vigil.Models.Cards;

/// <summary>The model file disagrees with its card (checksum or signature); the model is refused.</summary>
public sealed class ModelCardMismatchException(string cardPath, string modelId, string field, string cardValue, string fileValue)
    : ModelCardException(cardPath, field,
        $"the card ({modelId}) says {cardValue} but the model file has {fileValue}; the model is refused.")
{
    /// <summary>The value the card declares.</summary>
    public string CardValue { get; } = cardValue;

    /// <summary>The value found in the model file.</summary>
    public string FileValue { get; } = fileValue;
}
