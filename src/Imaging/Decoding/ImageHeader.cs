using System.Buffers.Binary;

namespace Vigil.Imaging.Decoding;

/// <summary>
/// Size and sample depth read from a PNG's IHDR or a JPEG's SOF marker without decoding, so an
/// oversized image is refused before OpenCV allocates its pixels and the reduction factor is known
/// in advance.
/// </summary>
/// <param name="Format">"PNG" or "JPEG".</param>
/// <param name="Width">Stored width in pixels.</param>
/// <param name="Height">Stored height in pixels.</param>
/// <param name="BitsPerSample">Bits per sample (PNG bit depth, JPEG sample precision).</param>
public readonly record struct ImageHeader(string Format, int Width, int Height, int BitsPerSample)
{
    private static ReadOnlySpan<byte> PngSignature => [137, 80, 78, 71, 13, 10, 26, 10];

    /// <summary>True when <paramref name="data"/> starts with the PNG signature.</summary>
    public static bool IsPng(ReadOnlySpan<byte> data) => data.Length >= 8 && data[..8].SequenceEqual(PngSignature);

    /// <summary>True when <paramref name="data"/> starts with a JPEG SOI marker.</summary>
    public static bool IsJpeg(ReadOnlySpan<byte> data) => data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF;

    /// <summary>
    /// Reads the header of a PNG or JPEG file named <paramref name="name"/>; throws
    /// <see cref="ImageFormatException"/> naming the file when it is neither or the header is cut.
    /// </summary>
    public static ImageHeader Read(ReadOnlySpan<byte> data, string name)
    {
        if (IsPng(data)) return ReadPng(data, name);
        if (IsJpeg(data)) return ReadJpeg(data, name);
        throw new ImageFormatException($"{name}: not a PNG or JPEG file");
    }

    private static ImageHeader ReadPng(ReadOnlySpan<byte> data, string name)
    {
        // The IHDR chunk must come first: length (13), "IHDR", width, height, depth, colour type, ...
        if (data.Length < 8 + 8 + 13 || !data.Slice(12, 4).SequenceEqual("IHDR"u8))
            throw new ImageFormatException($"{name}: PNG is truncated or has no IHDR chunk");
        var width = BinaryPrimitives.ReadUInt32BigEndian(data[16..]);
        var height = BinaryPrimitives.ReadUInt32BigEndian(data[20..]);
        if (width == 0 || height == 0 || width > int.MaxValue || height > int.MaxValue)
            throw new ImageFormatException($"{name}: PNG size {width}x{height} is not valid");
        return new ImageHeader("PNG", (int)width, (int)height, data[24]);
    }

    private static ImageHeader ReadJpeg(ReadOnlySpan<byte> data, string name)
    {
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
                return new ImageHeader("JPEG", width, height, precision);
            }
            if (marker is 0xD9 or 0xDA) break;
            pos += 2 + length;
        }
        throw new ImageFormatException($"{name}: JPEG has no frame header (truncated or corrupt)");
    }
}
