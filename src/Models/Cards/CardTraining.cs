namespace Vigil.Models.Cards;

/// <summary>
/// How a model the team trained was made (the card's <c>training</c> section): the data, the split,
/// the seed and the figures measured on data the model did not train on.
/// </summary>
public sealed class CardTraining
{
    /// <summary>The data set (name and where it lives, e.g. <c>rsna-999 (../shared/data/boneage/rsna-999)</c>).</summary>
    public string Dataset { get; init; } = "";
    /// <summary>sha256 of the data set's label file, so a reader can tell which copy was used.</summary>
    public string DatasetSha256 { get; init; } = "";
    /// <summary>The split (e.g. <c>5-fold CV, folds by seed 1; final model on all 999</c>).</summary>
    public string Split { get; init; } = "";
    /// <summary>Seed of the run.</summary>
    public int Seed { get; init; }
    /// <summary>Epochs trained.</summary>
    public int Epochs { get; init; }
    /// <summary>The command that trained it.</summary>
    public string Command { get; init; } = "";
    /// <summary>Validation figures by name (e.g. <c>cv_mad_months</c>), measured on held-out data.</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();
    /// <summary>Anything else a reviewer should know.</summary>
    public string Notes { get; init; } = "";
}
