namespace Vigil.Infrared.Thermal;

/// <summary>
/// One thermal image: a temperature per pixel in °C (row-major), the camera's 16-bit counts when the
/// source had them, and the frame's timestamp on the source's own clock (kept from the file or video,
/// or index / fps for raw streams). <see cref="Radiometric"/> is false for palette images and video,
/// whose temperatures are only relative (a colour's place on the palette mapped onto the card's span).
/// </summary>
public sealed class ThermalFrame
{
    /// <summary>Creates a frame; <paramref name="celsius"/> must hold <paramref name="width"/> × <paramref name="height"/> values.</summary>
    public ThermalFrame(string source, long index, TimeSpan timestamp, int width, int height, float[] celsius, ushort[]? raw, bool radiometric)
    {
        ArgumentNullException.ThrowIfNull(celsius);
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"{source}: frame size {width}×{height} is empty");
        if (celsius.Length != width * height) throw new ArgumentException($"{source}: {celsius.Length} temperatures for a {width}×{height} frame", nameof(celsius));
        if (raw is not null && raw.Length != celsius.Length) throw new ArgumentException($"{source}: {raw.Length} raw counts for a {width}×{height} frame", nameof(raw));
        Source = source;
        Index = index;
        Timestamp = timestamp;
        Width = width;
        Height = height;
        Celsius = celsius;
        Raw = raw;
        Radiometric = radiometric;
    }

    /// <summary>The input's identity (file, or file#frame) used in provenance and error lines.</summary>
    public string Source { get; }

    /// <summary>Frame number in its source, from 0.</summary>
    public long Index { get; }

    /// <summary>Time of the frame on the source's clock (from the source's start).</summary>
    public TimeSpan Timestamp { get; }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Temperature per pixel in °C, row-major (relative when not <see cref="Radiometric"/>).</summary>
    public float[] Celsius { get; }

    /// <summary>The camera's 16-bit counts, row-major, when the source carried them; null otherwise.</summary>
    public ushort[]? Raw { get; }

    /// <summary>True when temperatures come from radiometric counts through a camera card; false for palette images.</summary>
    public bool Radiometric { get; }

    /// <summary>Temperature at column <paramref name="x"/>, row <paramref name="y"/>.</summary>
    public float At(int x, int y) => Celsius[y * Width + x];

    /// <summary>Mean temperature of the pixels inside <paramref name="region"/> (clipped to the frame); NaN when the clipped region is empty.</summary>
    public double MeanCelsius(PixelRegion region)
    {
        var x0 = Math.Max(0, region.X);
        var y0 = Math.Max(0, region.Y);
        var x1 = Math.Min(Width, region.X + region.Width);
        var y1 = Math.Min(Height, region.Y + region.Height);
        if (x1 <= x0 || y1 <= y0) return double.NaN;
        double sum = 0;
        for (var y = y0; y < y1; y++)
        {
            var row = Celsius.AsSpan(y * Width + x0, x1 - x0);
            foreach (var t in row) sum += t;
        }
        return sum / ((x1 - x0) * (y1 - y0));
    }
}
