namespace Vigil.Models.Cards;

/// <summary>A model input or output as the card declares it.</summary>
public sealed class CardTensor
{
    /// <summary>The tensor's name in the model graph.</summary>
    public string Name { get; init; } = "";

    /// <summary>Element type: float32, float16, int64, int32, uint8, bool, ...</summary>
    public string ElementType { get; init; } = "";

    /// <summary>Shape with fixed or symbolic dimensions.</summary>
    public IReadOnlyList<CardDimension> Shape { get; init; } = [];

    /// <summary>What the values mean (units, ranges, layout).</summary>
    public string Meaning { get; init; } = "";

    /// <inheritdoc />
    public override string ToString() => $"{Name}: {ElementType}{CardDimension.Format(Shape)}";
}
