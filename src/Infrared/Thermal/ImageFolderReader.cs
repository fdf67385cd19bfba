using OpenCvSharp;

namespace Vigil.Infrared.Thermal;

/// <summary>
/// A folder of frames in ordinal file-name order: 1-channel 16-bit radiometric images when no palette is
/// given, 8-bit palette images otherwise. Every frame must have the first frame's size.
/// </summary>
internal sealed class ImageFolderReader : IThermalFrameReader
{
    private readonly string[] _files;
    private readonly double _fps;
    private readonly ThermalCameraCard _card;
    private readonly ThermalPalette? _palette;
    private readonly float[]? _lookup;
    private int _index;
    private int _width = -1;
    private int _height = -1;

    public ImageFolderReader(string directory, double fps, ThermalCameraCard card, ThermalPalette? palette)
    {
        ThermalSources.CheckFps(fps, directory);
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"{directory}: frame folder not found");
        var extensions = palette is null ? ThermalSources.RadiometricExtensions : ThermalSources.PaletteExtensions;
        _files = Directory.EnumerateFiles(directory)
            .Where(f => extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (_files.Length == 0) throw new InvalidDataException($"{directory}: holds no frames ({string.Join("/", extensions)})");
        _fps = fps;
        _card = card;
        _palette = palette;
        _lookup = palette is null ? card.LookupTable() : null;
    }

    public unsafe ThermalFrame? Next()
    {
        if (_index >= _files.Length) return null;
        var file = _files[_index];
        using var image = Cv2.ImRead(file, _palette is null ? ImreadModes.Unchanged : ImreadModes.Color);
        if (image.Empty()) throw new InvalidDataException($"{file}: not a decodable image");
        if (_width < 0) { _width = image.Cols; _height = image.Rows; }
        else if (image.Cols != _width || image.Rows != _height)
            throw new InvalidDataException($"{file}: {image.Cols}×{image.Rows} differs from the first frame's {_width}×{_height}");
        float[] celsius;
        ushort[]? raw = null;
        if (_palette is null)
        {
            if (image.Depth() != MatType.CV_16U || image.Channels() != 1)
                throw new InvalidDataException($"{file}: is {image.Channels()}-channel {DepthName(image.Depth())}, expected a 1-channel 16-bit radiometric image (8-bit palette images need the palette source)");
            raw = new ushort[_width * _height];
            celsius = new float[raw.Length];
            for (var y = 0; y < _height; y++)
            {
                var row = new ReadOnlySpan<ushort>((void*)image.Ptr(y), _width);
                for (var x = 0; x < _width; x++)
                {
                    var v = row[x];
                    raw[y * _width + x] = v;
                    celsius[y * _width + x] = _lookup![v];
                }
            }
        }
        else
        {
            celsius = _palette.ToCelsius(image, _card.PaletteMinCelsius, _card.PaletteMaxCelsius);
        }
        var frame = new ThermalFrame(file, _index, TimeSpan.FromSeconds(_index / _fps), _width, _height, celsius, raw, radiometric: _palette is null);
        _index++;
        return frame;
    }

    private static string DepthName(int depth) => depth switch
    {
        MatType.CV_8U => "8-bit",
        MatType.CV_8S => "signed 8-bit",
        MatType.CV_16U => "16-bit",
        MatType.CV_16S => "signed 16-bit",
        MatType.CV_32F => "32-bit float",
        _ => $"depth {depth}",
    };

    public void Dispose() { }
}
