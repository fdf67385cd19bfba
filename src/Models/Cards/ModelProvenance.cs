namespace Vigil.Models.Cards;

/// <summary>
/// Which model produced a result: carried by every inference result so a value can always be
/// traced to the exact file (sha256) and card version that produced it.
/// </summary>
/// <param name="ModelId">The card's id.</param>
/// <param name="Version">The card's version.</param>
/// <param name="Sha256">The model file's sha256 (lower-case hex), verified at load.</param>
public sealed record ModelProvenance(string ModelId, string Version, string Sha256)
{
    /// <summary>Formats as <c>id@version (sha256 first 12)</c>.</summary>
    public override string ToString() => $"{ModelId}@{Version} (sha256 {Sha256[..Math.Min(12, Sha256.Length)]})";
}
