using System.Buffers.Binary;
using OpenCvSharp;

namespace Vigil.Infrared.Thermal;

/// <summary>Writes radiometric frames in the formats <see cref="ThermalSources"/> reads (raw Y16, 16-bit PNG/TIFF folders).</summary>
public static class ThermalFileWriter
{
    /// <summary>Appends the frames' counts to a headerless little-endian Y16 file; returns the number of frames written.</summary>
    public static int WriteRawY16(IEnumerable<ThermalFrame> frames, string path)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        var n = 0;
        byte[]? buffer = null;
        foreach (var frame in frames)
        {
            var raw = frame.Raw ?? throw new ArgumentException($"{frame.Source}: frame has no 16-bit counts to write");
            buffer ??= new byte[raw.Length * 2];
            for (var i = 0; i < raw.Length; i++) BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(2 * i), raw[i]);
            stream.Write(buffer, 0, raw.Length * 2);
            n++;
        }
        return n;
    }

    /// <summary>Writes each frame's counts as a 1-channel 16-bit image named frame_000000<paramref name="extension"/> in <paramref name="directory"/>.</summary>
    public static int WriteImages(IEnumerable<ThermalFrame> frames, string directory, string extension = ".png")
    {
        Directory.CreateDirectory(directory);
        var n = 0;
        foreach (var frame in frames)
        {
            var raw = frame.Raw ?? throw new ArgumentException($"{frame.Source}: frame has no 16-bit counts to write");
            using var mat = Mat.FromPixelData(frame.Height, frame.Width, MatType.CV_16UC1, raw);
            var path = Path.Combine(directory, $"frame_{n:D6}{extension}");
            if (!Cv2.ImWrite(path, mat)) throw new IOException($"{path}: OpenCV could not write the frame");
            n++;
        }
        return n;
    }
}
