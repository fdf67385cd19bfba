using System.Buffers.Binary;
using System.IO.Compression;

namespace Vigil.BoneAge.Demo;

/// <summary>
/// A generated stand-in for a hand radiograph (a bright palm and five fingers on a dark
/// background, with a little noise) written as an 8-bit grey PNG, so the bone-age demo runs from a
/// plain clone without the shared RSNA images. It exercises decoding, preprocessing (percentiles,
/// hand crop, letterbox), batching and reporting; it is not an X-ray and says so wherever it is used.
/// </summary>
public static class SyntheticRadiograph
{
    /// <summary>Writes a <paramref name="width"/>×<paramref name="height"/> image to <paramref name="path"/>; <paramref name="brightness"/> (0..1) scales the hand.</summary>
    public static void WritePng(string path, int width, int height, double brightness, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 32);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 32);
        var random = new Random(seed);
        var pixels = new byte[width * height];
        double cx = width * 0.5, cy = height * 0.68, rx = width * 0.22, ry = height * 0.2;
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var inPalm = Math.Pow((x - cx) / rx, 2) + Math.Pow((y - cy) / ry, 2) <= 1;
                var inFinger = false;
                for (var f = 0; f < 5 && !inFinger; f++)
                {
                    // Four fingers above the palm, the thumb to the side and lower.
                    var fx = f < 4 ? cx - rx * 0.75 + f * rx * 0.5 : cx + rx * 1.1;
                    var top = f < 4 ? height * (0.12 + 0.04 * Math.Abs(f - 1.5)) : height * 0.45;
                    var bottom = f < 4 ? cy - ry * 0.5 : cy;
                    inFinger = Math.Abs(x - fx) <= width * 0.035 && y >= top && y <= bottom;
                }
                var level = inPalm || inFinger ? 60 + 170 * brightness : 12;
                pixels[y * width + x] = (byte)Math.Clamp(level + random.Next(-8, 9), 0, 255);
            }
        File.WriteAllBytes(path, EncodeGrayPng(pixels, width, height));
    }

    // PNG: signature, IHDR (8-bit grey), one zlib IDAT of filter-0 rows, IEND; each chunk CRC-32 checked.
    private static byte[] EncodeGrayPng(byte[] pixels, int width, int height)
    {
        using var raw = new MemoryStream();
        using (var z = new ZLibStream(raw, CompressionLevel.Fastest, leaveOpen: true))
            for (var y = 0; y < height; y++)
            {
                z.WriteByte(0);
                z.Write(pixels, y * width, width);
            }
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth; colour type 0 (grey), compression, filter and interlace 0
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", raw.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        png.Write(word);
        var typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        png.Write(typeBytes);
        png.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32(typeBytes, data));
        png.Write(word);
    }

    private static uint Crc32(byte[] type, byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in type.Concat(data))
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }
}
