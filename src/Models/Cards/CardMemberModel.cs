namespace Vigil.Models.Cards;

/// <summary>
/// A further model file of an ensemble card (<c>postprocessing.members</c>): it takes the same input
/// and gives the same outputs as the card's own file, and its results are merged with the card's.
/// </summary>
public sealed class CardMemberModel
{
    /// <summary>File name, relative to the card's folder.</summary>
    public string File { get; init; } = "";
    /// <summary>Hex sha256 of the file, checked when the card is opened.</summary>
    public string Sha256 { get; init; } = "";
    /// <summary>Where the member comes from (e.g. the card version it was shipped as).</summary>
    public string Source { get; init; } = "";
}
