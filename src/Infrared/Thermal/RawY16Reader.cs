using System.Buffers.Binary;

namespace Vigil.Infrared.Thermal;

/// <summary>Headerless little-endian 16-bit frames; the file's length must be a whole number of frames.</summary>
internal sealed class RawY16Reader : IThermalFrameReader
{
    private readonly string _path;
    private readonly int _width;
    private readonly int _height;
    private readonly double _fps;
    private readonly float[] _lookup;
    private readonly FileStream _stream;
    private readonly byte[] _buffer;
    private long _index;

    public RawY16Reader(string path, int width, int height, double fps, ThermalCameraCard card)
    {
        if (width <= 0 || height <= 0) throw new ArgumentException($"{path}: frame size {width}×{height} must be positive");
        ThermalSources.CheckFps(fps, path);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: raw Y16 file not found", path);
        _path = path;
        _width = width;
        _height = height;
        _fps = fps;
        _lookup = card.LookupTable();
        _buffer = new byte[width * height * 2];
        _stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var length = _stream.Length;
        if (length == 0 || length % _buffer.Length != 0)
        {
            _stream.Dispose();
            throw new InvalidDataException($"{path}: {length} bytes is not a whole number of {width}×{height} 16-bit frames ({_buffer.Length} bytes each)");
        }
    }

    public ThermalFrame? Next()
    {
        var read = 0;
        while (read < _buffer.Length)
        {
            var n = _stream.Read(_buffer, read, _buffer.Length - read);
            if (n == 0) break;
            read += n;
        }
        if (read == 0) return null;
        if (read < _buffer.Length) throw new InvalidDataException($"{_path}: frame {_index} is truncated ({read} of {_buffer.Length} bytes)");
        var count = _width * _height;
        var raw = new ushort[count];
        var celsius = new float[count];
        for (var i = 0; i < count; i++)
        {
            var v = BinaryPrimitives.ReadUInt16LittleEndian(_buffer.AsSpan(2 * i));
            raw[i] = v;
            celsius[i] = _lookup[v];
        }
        var frame = new ThermalFrame($"{_path}#{_index}", _index, TimeSpan.FromSeconds(_index / _fps), _width, _height, celsius, raw, radiometric: true);
        _index++;
        return frame;
    }

    public void Dispose() => _stream.Dispose();
}
