using OpenCvSharp;

namespace Vigil.Infrared.Thermal;

/// <summary>
/// The colour scale an 8-bit thermal image was rendered with, used backwards: each pixel's colour is
/// matched to the nearest of the palette's 256 entries, and the entry's position (0 = coldest,
/// 1 = hottest) is the pixel's relative temperature. This recovers an order, not a calibration:
/// frames from a palette are flagged not radiometric. The nearest entry is looked up in a table
/// over 5 bits per channel (32,768 cells) built once per palette.
/// </summary>
public sealed class ThermalPalette
{
    private readonly byte[] _nearest; // cell (b>>3, g>>3, r>>3) → palette index 0..255

    private ThermalPalette(string name, (byte B, byte G, byte R)[] entries)
    {
        Name = name;
        Entries = entries;
        _nearest = new byte[32 * 32 * 32];
        for (var b = 0; b < 32; b++)
        for (var g = 0; g < 32; g++)
        for (var r = 0; r < 32; r++)
        {
            int cb = b * 8 + 4, cg = g * 8 + 4, cr = r * 8 + 4;
            var best = 0;
            var bestDistance = int.MaxValue;
            for (var i = 0; i < entries.Length; i++)
            {
                var (eb, eg, er) = entries[i];
                var d = (eb - cb) * (eb - cb) + (eg - cg) * (eg - cg) + (er - cr) * (er - cr);
                if (d < bestDistance) { bestDistance = d; best = i; }
            }
            _nearest[(b << 10) | (g << 5) | r] = (byte)best;
        }
    }

    /// <summary>Names <see cref="FromName"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["white-hot", "black-hot", "inferno", "jet", "hot", "rainbow", "magma", "plasma"];

    /// <summary>The palette's name.</summary>
    public string Name { get; }

    /// <summary>The 256 colours (blue, green, red) from coldest to hottest.</summary>
    public IReadOnlyList<(byte B, byte G, byte R)> Entries { get; }

    /// <summary>The palette called <paramref name="name"/> (see <see cref="Names"/>); an unknown name throws <see cref="ArgumentException"/>.</summary>
    public static ThermalPalette FromName(string name)
    {
        var key = name.Trim().ToLowerInvariant();
        if (key is "white-hot" or "grey" or "gray") return new ThermalPalette("white-hot", Enumerable.Range(0, 256).Select(i => ((byte)i, (byte)i, (byte)i)).ToArray());
        if (key == "black-hot") return new ThermalPalette("black-hot", Enumerable.Range(0, 256).Select(i => ((byte)(255 - i), (byte)(255 - i), (byte)(255 - i))).ToArray());
        ColormapTypes map = key switch
        {
            "inferno" => ColormapTypes.Inferno,
            "jet" => ColormapTypes.Jet,
            "hot" => ColormapTypes.Hot,
            "rainbow" => ColormapTypes.Rainbow,
            "magma" => ColormapTypes.Magma,
            "plasma" => ColormapTypes.Plasma,
            _ => throw new ArgumentException($"unknown thermal palette '{name}' ({string.Join(", ", Names)})", nameof(name)),
        };
        using var ramp = new Mat(1, 256, MatType.CV_8UC1);
        for (var i = 0; i < 256; i++) ramp.Set(0, i, (byte)i);
        using var colours = new Mat();
        Cv2.ApplyColorMap(ramp, colours, map);
        var entries = new (byte, byte, byte)[256];
        for (var i = 0; i < 256; i++)
        {
            var v = colours.Get<Vec3b>(0, i);
            entries[i] = (v.Item0, v.Item1, v.Item2);
        }
        return new ThermalPalette(key, entries);
    }

    /// <summary>Relative position (0..1) on the palette of the colour (b, g, r).</summary>
    public double Position(byte b, byte g, byte r) => _nearest[((b >> 3) << 10) | ((g >> 3) << 5) | (r >> 3)] / 255.0;

    /// <summary>
    /// Relative temperatures of an 8-bit image (1 channel: grey levels through the palette's ramp; 3 channels: BGR)
    /// mapped onto [<paramref name="minCelsius"/>, <paramref name="maxCelsius"/>].
    /// </summary>
    public unsafe float[] ToCelsius(Mat image, double minCelsius, double maxCelsius)
    {
        var width = image.Cols;
        var height = image.Rows;
        var result = new float[width * height];
        var span = (float)(maxCelsius - minCelsius);
        // A grey image is the palette applied to itself only for grey palettes; otherwise its levels are taken as colours.
        using var bgr = image.Channels() == 3 ? null : new Mat();
        if (bgr is not null) Cv2.CvtColor(image, bgr, image.Channels() == 4 ? ColorConversionCodes.BGRA2BGR : ColorConversionCodes.GRAY2BGR);
        var source = bgr ?? image;
        for (var y = 0; y < height; y++)
        {
            var row = (byte*)source.Ptr(y);
            for (var x = 0; x < width; x++)
            {
                var p = row + 3 * x;
                result[y * width + x] = (float)(minCelsius + span * Position(p[0], p[1], p[2]));
            }
        }
        return result;
    }
}
