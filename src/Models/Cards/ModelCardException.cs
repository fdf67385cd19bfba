namespace Vigil.Models.Cards;

/// <summary>A card is unreadable or incomplete, or its model file disagrees with it. Names the card and field.</summary>
public class ModelCardException : Exception
{
    /// <summary>Creates the error for <paramref name="cardPath"/>'s <paramref name="field"/>.</summary>
    public ModelCardException(string cardPath, string field, string message, Exception? inner = null)
        : base($"Model card '{cardPath}': {field}: {message}", inner)
    {
        CardPath = cardPath;
        Field = field;
    }

    /// <summary>The card file.</summary>
    public string CardPath { get; }

    /// <summary>The field at fault, e.g. <c>inputs[input].shape[0]</c> or <c>sha256</c>.</summary>
    public string Field { get; }
}
