namespace Vigil.Models.OnnxBuilder;

/// <summary>
/// One dimension of a graph input or output: a fixed size, or a symbolic name (e.g. <c>"N"</c>
/// for a dynamic batch). Converts implicitly from <see cref="long"/> and <see cref="string"/>.
/// </summary>
public readonly record struct OnnxDim
{
    /// <summary>The fixed size, or null for a symbolic dimension.</summary>
    public long? Value { get; }

    /// <summary>The symbolic name, or null for a fixed dimension.</summary>
    public string? Symbol { get; }

    private OnnxDim(long? value, string? symbol) { Value = value; Symbol = symbol; }

    /// <summary>A fixed dimension.</summary>
    public static OnnxDim Fixed(long value) =>
        value >= 0 ? new(value, null) : throw new ArgumentOutOfRangeException(nameof(value), value, "A fixed dimension is at least 0.");

    /// <summary>A symbolic (dynamic) dimension.</summary>
    public static OnnxDim Named(string symbol) =>
        string.IsNullOrWhiteSpace(symbol) ? throw new ArgumentException("A symbolic dimension needs a name.", nameof(symbol)) : new(null, symbol);

    /// <summary>Converts a size to a fixed dimension.</summary>
    public static implicit operator OnnxDim(long value) => Fixed(value);

    /// <summary>Converts a name to a symbolic dimension.</summary>
    public static implicit operator OnnxDim(string symbol) => Named(symbol);

    /// <inheritdoc />
    public override string ToString() => Symbol ?? Value!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
