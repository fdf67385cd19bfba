using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vigil.Infrared.Thermal;

/// <summary>
/// What Vigil needs to know about a thermal camera to turn its pixels into temperatures: a JSON card
/// (fields documented in docs/infrared.md, "Camera card"). Radiometric 16-bit counts become
/// <c>value = gain × count + offset</c> in <see cref="Unit"/>, then °C. Palette (8-bit) images carry no
/// counts: a colour's place on the palette (0 = coldest, 1 = hottest) is mapped linearly onto
/// [<see cref="PaletteMinCelsius"/>, <see cref="PaletteMaxCelsius"/>], a relative scale only.
/// </summary>
/// <param name="Id">Camera identity, carried into provenance.</param>
/// <param name="Gain">Calibrated value per count (e.g. 0.01 for centikelvin counts).</param>
/// <param name="Offset">Calibrated value at count 0, in <paramref name="Unit"/>.</param>
/// <param name="Unit">The unit of gain × count + offset.</param>
/// <param name="PaletteMinCelsius">Temperature shown by the palette's coldest colour (relative scale of 8-bit images).</param>
/// <param name="PaletteMaxCelsius">Temperature shown by the palette's hottest colour.</param>
public sealed record ThermalCameraCard(
    string Id,
    double Gain,
    double Offset,
    TemperatureUnit Unit,
    double PaletteMinCelsius = 20,
    double PaletteMaxCelsius = 40)
{
    /// <summary>A FLIR Lepton in TLinear mode (counts in centikelvin), the layout of most 16-bit thermal face data.</summary>
    public static ThermalCameraCard CentiKelvin { get; } = new("centikelvin-tlinear", 0.01, 0, TemperatureUnit.Kelvin);

    /// <summary>Temperature in °C of one 16-bit count.</summary>
    public double ToCelsius(ushort count)
    {
        var value = Gain * count + Offset;
        return Unit switch
        {
            TemperatureUnit.Kelvin => value - 273.15,
            TemperatureUnit.Fahrenheit => (value - 32) * 5 / 9,
            _ => value,
        };
    }

    /// <summary>The 16-bit count closest to <paramref name="celsius"/> (inverse of <see cref="ToCelsius"/>, clamped to 0..65535).</summary>
    public ushort ToCount(double celsius)
    {
        var value = Unit switch
        {
            TemperatureUnit.Kelvin => celsius + 273.15,
            TemperatureUnit.Fahrenheit => celsius * 9 / 5 + 32,
            _ => celsius,
        };
        return (ushort)Math.Clamp(Math.Round((value - Offset) / Gain), 0, ushort.MaxValue);
    }

    /// <summary>A lookup table count → °C for all 65,536 counts (sources convert frames through it).</summary>
    public float[] LookupTable()
    {
        var table = new float[65536];
        for (var i = 0; i < table.Length; i++) table[i] = (float)ToCelsius((ushort)i);
        return table;
    }

    /// <summary>Checks the card's values; throws <see cref="InvalidDataException"/> naming <paramref name="origin"/> and the fault.</summary>
    public ThermalCameraCard Validate(string origin)
    {
        if (string.IsNullOrWhiteSpace(Id)) throw new InvalidDataException($"{origin}: camera card has no 'id'");
        if (!double.IsFinite(Gain) || Gain == 0) throw new InvalidDataException($"{origin}: camera card 'gain' must be a finite non-zero number, not {Gain}");
        if (!double.IsFinite(Offset)) throw new InvalidDataException($"{origin}: camera card 'offset' must be finite, not {Offset}");
        if (!double.IsFinite(PaletteMinCelsius) || !double.IsFinite(PaletteMaxCelsius) || PaletteMaxCelsius <= PaletteMinCelsius)
            throw new InvalidDataException($"{origin}: camera card palette span [{PaletteMinCelsius}, {PaletteMaxCelsius}] °C is not an increasing range");
        return this;
    }

    /// <summary>Reads and validates a card from a JSON file; a malformed card gives one line naming the file.</summary>
    public static ThermalCameraCard Load(string path)
    {
        string json;
        try { json = File.ReadAllText(path); }
        catch (FileNotFoundException) { throw new FileNotFoundException($"{path}: camera card not found", path); }
        return Parse(json, path);
    }

    /// <summary>Parses and validates card JSON; <paramref name="origin"/> names it in errors.</summary>
    public static ThermalCameraCard Parse(string json, string origin)
    {
        CardJson? dto;
        try { dto = JsonSerializer.Deserialize<CardJson>(json, Options); }
        catch (JsonException e) { throw new InvalidDataException($"{origin}: camera card is not valid JSON ({e.Message.Split('\n')[0]})"); }
        if (dto is null) throw new InvalidDataException($"{origin}: camera card is empty");
        if (dto.Gain is null) throw new InvalidDataException($"{origin}: camera card lacks 'gain'");
        if (dto.Offset is null) throw new InvalidDataException($"{origin}: camera card lacks 'offset'");
        var unit = (dto.Unit ?? "").Trim().ToLowerInvariant() switch
        {
            "c" or "celsius" or "degc" => TemperatureUnit.Celsius,
            "k" or "kelvin" => TemperatureUnit.Kelvin,
            "f" or "fahrenheit" or "degf" => TemperatureUnit.Fahrenheit,
            _ => throw new InvalidDataException($"{origin}: camera card 'unit' must be celsius, kelvin or fahrenheit, not '{dto.Unit}'"),
        };
        return new ThermalCameraCard(dto.Id ?? "", dto.Gain.Value, dto.Offset.Value, unit, dto.PaletteMinCelsius ?? 20, dto.PaletteMaxCelsius ?? 40).Validate(origin);
    }

    /// <summary>The card as JSON (the format <see cref="Parse"/> reads).</summary>
    public string ToJson() => JsonSerializer.Serialize(new CardJson
    {
        Id = Id, Gain = Gain, Offset = Offset, Unit = Unit.ToString().ToLowerInvariant(),
        PaletteMinCelsius = PaletteMinCelsius, PaletteMaxCelsius = PaletteMaxCelsius,
    }, Options);

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
    };

    private sealed class CardJson
    {
        public string? Id { get; set; }
        public double? Gain { get; set; }
        public double? Offset { get; set; }
        public string? Unit { get; set; }
        public double? PaletteMinCelsius { get; set; }
        public double? PaletteMaxCelsius { get; set; }
    }
}
