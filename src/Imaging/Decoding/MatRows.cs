using System.Numerics.Tensors;
using OpenCvSharp;

namespace Vigil.Imaging.Decoding;

/// <summary>
/// The row layout of an 8- or 16-bit Mat with 1 (grey), 2 (grey + alpha), 3 (BGR) or 4 (BGRA)
/// channels, read once (each Mat property is a native call) and then used to convert rows to grey
/// floats: grey as stored, colour through BT.601 luma, alpha ignored. Valid while the Mat lives.
/// </summary>
internal readonly struct MatRows
{
    private readonly IntPtr _data;
    private readonly long _step;
    private readonly int _channels;

    private MatRows(IntPtr data, long step, int width, int height, int channels, bool wide)
    {
        _data = data;
        _step = step;
        Width = width;
        Height = height;
        _channels = channels;
        Wide = wide;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>16-bit samples (else 8-bit).</summary>
    public bool Wide { get; }

    /// <summary>The layout of <paramref name="mat"/>, which must be 8/16-bit unsigned with 1 to 4 channels.</summary>
    public static MatRows Of(Mat mat)
    {
        var depth = mat.Depth();
        var channels = mat.Channels();
        if (depth is not (MatType.CV_8U or MatType.CV_16U) || channels is < 1 or > 4)
            throw new ArgumentException($"Mat type {mat.Type()} is not 8/16-bit grey or colour", nameof(mat));
        return new MatRows(mat.Data, mat.Step(), mat.Width, mat.Height, channels, depth == MatType.CV_16U);
    }

    /// <summary>Row <paramref name="y"/> as grey floats into <paramref name="row"/> (exactly <see cref="Width"/> long).</summary>
    public unsafe void ReadGrey(int y, Span<float> row)
    {
        if ((uint)y >= (uint)Height) throw new ArgumentOutOfRangeException(nameof(y));
        if (row.Length != Width) throw new ArgumentException($"row holds {row.Length} values, the image is {Width} wide", nameof(row));
        var p = (void*)(_data + (nint)(y * _step));
        var n = Width * _channels;
        if (_channels == 1)
        {
            if (Wide) TensorPrimitives.ConvertChecked<ushort, float>(new ReadOnlySpan<ushort>(p, n), row);
            else TensorPrimitives.ConvertChecked<byte, float>(new ReadOnlySpan<byte>(p, n), row);
            return;
        }
        if (Wide) GreyFromChannels(new ReadOnlySpan<ushort>(p, n), _channels, row);
        else GreyFromChannels(new ReadOnlySpan<byte>(p, n), _channels, row);
    }

    private static void GreyFromChannels<T>(ReadOnlySpan<T> samples, int channels, Span<float> row) where T : unmanaged, System.Numerics.INumberBase<T>
    {
        for (var x = 0; x < row.Length; x++)
        {
            var s = samples.Slice(x * channels, channels);
            if (channels == 2) { row[x] = float.CreateTruncating(s[0]); continue; }
            float b = float.CreateTruncating(s[0]), g = float.CreateTruncating(s[1]), r = float.CreateTruncating(s[2]);
            // Grey stored as colour stays exactly grey (the float weights do not sum to exactly 1).
            row[x] = b == g && g == r ? g : 0.299f * r + 0.587f * g + 0.114f * b;
        }
    }
}
