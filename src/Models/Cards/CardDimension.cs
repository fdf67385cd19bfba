using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vigil.Models.Cards;

/// <summary>
/// One dimension of a card's tensor shape: a fixed size, or a symbolic name such as
/// <c>"batch"</c>. In JSON a number or a string.
/// </summary>
[JsonConverter(typeof(CardDimensionJsonConverter))]
public readonly record struct CardDimension
{
    /// <summary>The fixed size, or -1 when symbolic.</summary>
    public long Size { get; }

    /// <summary>The symbol, or null when fixed.</summary>
    public string? Symbol { get; }

    /// <summary>True when the size is fixed.</summary>
    public bool IsFixed => Symbol is null;

    private CardDimension(long size, string? symbol) { Size = size; Symbol = symbol; }

    /// <summary>A fixed dimension.</summary>
    public static CardDimension Fixed(long size) => new(size, null);

    /// <summary>A symbolic dimension.</summary>
    public static CardDimension Named(string symbol) => new(-1, symbol);

    /// <inheritdoc />
    public override string ToString() => Symbol ?? Size.ToString(CultureInfo.InvariantCulture);

    /// <summary>Formats a shape as <c>[batch,3,112,112]</c>.</summary>
    public static string Format(IEnumerable<CardDimension> shape) => "[" + string.Join(",", shape) + "]";
}

/// <summary>Reads and writes <see cref="CardDimension"/> as a JSON number or string.</summary>
internal sealed class CardDimensionJsonConverter : JsonConverter<CardDimension>
{
    public override CardDimension Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Number when reader.TryGetInt64(out var n) && n >= 0 => CardDimension.Fixed(n),
            JsonTokenType.String when reader.GetString() is { Length: > 0 } s => CardDimension.Named(s),
            _ => throw new JsonException("a shape dimension is a non-negative integer or a non-empty symbol name"),
        };

    public override void Write(Utf8JsonWriter writer, CardDimension value, JsonSerializerOptions options)
    {
        if (value.IsFixed) writer.WriteNumberValue(value.Size);
        else writer.WriteStringValue(value.Symbol);
    }
}
