namespace Vigil.Models.Cards;

/// <summary>What the model is for, what it is not for, and whether it may inform clinical decisions.</summary>
public sealed class CardIntendedUse
{
    /// <summary>The intended use in a sentence or two.</summary>
    public string Summary { get; init; } = "";
    /// <summary>
    /// True for demonstration and research models: every display of its results must say
    /// "not for clinical use". Cards must state it explicitly.
    /// </summary>
    public bool? NotForClinicalUse { get; init; }
    /// <summary>Known limitations and out-of-scope uses.</summary>
    public IReadOnlyList<string> Limitations { get; init; } = [];
}
