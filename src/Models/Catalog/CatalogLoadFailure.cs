namespace Vigil.Models.Catalog;

/// <summary>A card in the catalog folder that was refused, and why.</summary>
/// <param name="CardPath">The card file.</param>
/// <param name="Error">The error (a <see cref="Cards.ModelCardException"/> for card problems).</param>
public sealed record CatalogLoadFailure(string CardPath, Exception Error);
