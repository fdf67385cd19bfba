using OpenCvSharp;

namespace Vigil.Infrared.Thermal;

/// <summary>A video decoded by OpenCV's VideoCapture; colours go through a palette (relative temperatures).</summary>
internal sealed class VideoReader : IThermalFrameReader
{
    private readonly string _path;
    private readonly ThermalPalette _palette;
    private readonly ThermalCameraCard _card;
    private readonly VideoCapture _capture;
    private readonly double _fps;
    private readonly Mat _mat = new();
    private long _index;

    public VideoReader(string path, ThermalPalette palette, ThermalCameraCard card)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: video not found", path);
        _path = path;
        _palette = palette;
        _card = card;
        _capture = new VideoCapture(path);
        if (!_capture.IsOpened())
        {
            _capture.Dispose();
            _mat.Dispose();
            throw new InvalidDataException($"{path}: not a video OpenCV can decode");
        }
        _fps = _capture.Get(VideoCaptureProperties.Fps);
    }

    public ThermalFrame? Next()
    {
        if (!_capture.Read(_mat) || _mat.Empty())
        {
            if (_index == 0) throw new InvalidDataException($"{_path}: video holds no decodable frame");
            return null;
        }
        // The frame's time: from the container's frame rate when it has one, else the decoder's position.
        var timestamp = _fps > 0 && double.IsFinite(_fps)
            ? TimeSpan.FromSeconds(_index / _fps)
            : TimeSpan.FromMilliseconds(_capture.Get(VideoCaptureProperties.PosMsec));
        var celsius = _palette.ToCelsius(_mat, _card.PaletteMinCelsius, _card.PaletteMaxCelsius);
        var frame = new ThermalFrame($"{_path}#{_index}", _index, timestamp, _mat.Cols, _mat.Rows, celsius, null, radiometric: false);
        _index++;
        return frame;
    }

    public void Dispose()
    {
        _capture.Dispose();
        _mat.Dispose();
    }
}
