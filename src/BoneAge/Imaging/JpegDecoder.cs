using System.Buffers.Binary;

namespace Vigil.BoneAge.Imaging;

/// <summary>
/// Decodes JPEG files through ffmpeg over a pipe (<c>-f rawvideo -pix_fmt gray|gray16le -</c>);
/// colour becomes grey in ffmpeg. The size comes from the file's own SOF marker, read here, so no
/// ffprobe run is needed and oversized images are refused before decoding.
/// </summary>
public static class JpegDecoder
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>True when <paramref name="header"/> starts with a JPEG SOI marker.</summary>
    public static bool IsJpeg(ReadOnlySpan<byte> header) => header.Length >= 3 && header[0] == 0xFF && header[1] == 0xD8 && header[2] == 0xFF;

    /// <summary>Decodes the JPEG file at <paramref name="path"/> whose bytes are <paramref name="data"/>.</summary>
    public static Radiograph Decode(byte[] data, string path, long maxPixels = long.MaxValue)
    {
        var name = Path.GetFileName(path);
        var (width, height, precision) = ReadFrameHeader(data, name);
        if ((long)width * height > maxPixels)
            throw new ImageFormatException($"{name}: image is {width}x{height} = {(long)width * height} pixels, over the limit of {maxPixels}");
        var ffmpeg = ExternalTool.Find("ffmpeg")
            ?? throw new ImageFormatException($"{name}: decoding JPEG needs ffmpeg, which is not installed; run `scripts/setup apt`");
        var wide = precision > 8;
        byte[] raw;
        try
        {
            raw = ExternalTool.Run(ffmpeg, ["-v", "error", "-nostdin", "-i", path, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", wide ? "gray16le" : "gray", "-"], Timeout);
        }
        catch (IOException e)
        {
            throw new ImageFormatException($"{name}: ffmpeg could not decode the JPEG: {e.Message}", e);
        }
        var pixelCount = width * height;
        if (raw.Length != pixelCount * (wide ? 2 : 1))
            throw new ImageFormatException($"{name}: ffmpeg returned {raw.Length} bytes for a {width}x{height} image (corrupt JPEG?)");
        var pixels = new float[pixelCount];
        if (wide) for (var i = 0; i < pixelCount; i++) pixels[i] = BinaryPrimitives.ReadUInt16LittleEndian(raw.AsSpan(2 * i));
        else for (var i = 0; i < pixelCount; i++) pixels[i] = raw[i];
        return new Radiograph { Image = new GrayImage(width, height, pixels), BitsStored = wide ? 16 : 8, Format = $"JPEG {precision}-bit" };
    }

    /// <summary>Finds the SOFn marker and returns the frame's width, height and sample precision.</summary>
    internal static (int Width, int Height, int Precision) ReadFrameHeader(ReadOnlySpan<byte> data, string name)
    {
        if (!IsJpeg(data)) throw new ImageFormatException($"{name}: not a JPEG file (no SOI marker)");
        var pos = 2;
        while (pos + 4 <= data.Length)
        {
            if (data[pos] != 0xFF) throw new ImageFormatException($"{name}: JPEG marker expected at offset {pos} (corrupt file)");
            var marker = data[pos + 1];
            if (marker == 0xFF) { pos++; continue; }
            if (marker is 0xD8 or 0x01 || marker is >= 0xD0 and <= 0xD7) { pos += 2; continue; }
            var length = BinaryPrimitives.ReadUInt16BigEndian(data[(pos + 2)..]);
            // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
            if (marker is >= 0xC0 and <= 0xCF && marker is not (0xC4 or 0xC8 or 0xCC))
            {
                if (pos + 9 > data.Length) break;
                var precision = data[pos + 4];
                var height = BinaryPrimitives.ReadUInt16BigEndian(data[(pos + 5)..]);
                var width = BinaryPrimitives.ReadUInt16BigEndian(data[(pos + 7)..]);
                if (width == 0 || height == 0) throw new ImageFormatException($"{name}: image is empty ({width}x{height})");
                return (width, height, precision);
            }
            if (marker is 0xD9 or 0xDA) break;
            pos += 2 + length;
        }
        throw new ImageFormatException($"{name}: JPEG has no frame header (truncated or corrupt)");
    }
}
