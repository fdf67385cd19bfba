namespace Vigil.Models.Cards;

/// <summary>Where the model file comes from (the card's <c>provenance</c> section).</summary>
public sealed class CardOrigin
{
    /// <summary>Repository, commit and path, or how it was generated.</summary>
    public string Source { get; init; } = "";
    /// <summary>The licence as the source states it.</summary>
    public string Licence { get; init; } = "";
    /// <summary>Anything else a reviewer should know (training data, caveats).</summary>
    public string Notes { get; init; } = "";
}
