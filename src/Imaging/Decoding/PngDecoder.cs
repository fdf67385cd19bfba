using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Numerics;

namespace Vigil.Imaging.Decoding;

/// <summary>
/// Vigil's own PNG decoder (ISO/IEC 15948): non-interlaced grey, grey+alpha, RGB, RGBA (8 or 16
/// bits) and palette or low-bit grey (1, 2, 4, 8 bits); colour becomes grey with the BT.601 luma
/// weights, alpha is ignored. Inflates IDAT with the BCL's <see cref="ZLibStream"/> and unfilters
/// band by band, optionally shrinking as rows arrive, so the only large buffer is the output.
/// </summary>
public static class PngDecoder
{
    /// <summary>True when <paramref name="header"/> starts with the PNG signature.</summary>
    public static bool IsPng(ReadOnlySpan<byte> header) => ImageHeader.IsPng(header);

    /// <summary>
    /// Decodes <paramref name="data"/> (a whole PNG file) named <paramref name="name"/>; refuses
    /// images over <paramref name="maxPixels"/>; box-shrinks while decoding by the factor
    /// <paramref name="reduction"/> chooses (none when null).
    /// </summary>
    public static Radiograph Decode(byte[] data, string name, long maxPixels = long.MaxValue, DecodeReduction? reduction = null)
    {
        if (!IsPng(data)) throw new ImageFormatException($"{name}: not a PNG file (bad signature)");
        int width = 0, height = 0, bitDepth = 0, colorType = -1;
        byte[]? palette = null;
        var idat = new List<(int Offset, int Length)>();
        var pos = 8;
        var sawEnd = false;
        while (pos + 8 <= data.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(pos));
            var type = data.AsSpan(pos + 4, 4);
            if (length > (uint)(data.Length - pos - 12))
                throw new ImageFormatException($"{name}: PNG is truncated (chunk '{System.Text.Encoding.ASCII.GetString(type)}' at offset {pos} runs past the end)");
            var body = pos + 8;
            if (type.SequenceEqual("IHDR"u8))
            {
                if (length < 13) throw new ImageFormatException($"{name}: PNG IHDR chunk is too short");
                width = (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(body)), int.MaxValue);
                height = (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(body + 4)), int.MaxValue);
                bitDepth = data[body + 8];
                colorType = data[body + 9];
                if (data[body + 12] != 0)
                    throw new ImageFormatException($"{name}: interlaced (Adam7) PNG is not supported; re-save it non-interlaced");
            }
            else if (type.SequenceEqual("PLTE"u8)) palette = data.AsSpan(body, (int)length).ToArray();
            else if (type.SequenceEqual("IDAT"u8)) idat.Add((body, (int)length));
            else if (type.SequenceEqual("IEND"u8)) { sawEnd = true; break; }
            pos = body + (int)length + 4;
        }
        if (colorType < 0) throw new ImageFormatException($"{name}: PNG has no IHDR chunk");
        if (width == 0 || height == 0) throw new ImageFormatException($"{name}: image is empty ({width}x{height})");
        if ((long)width * height > maxPixels)
            throw new ImageFormatException($"{name}: image is {width}x{height} = {(long)width * height} pixels, over the limit of {maxPixels}");
        if (idat.Count == 0) throw new ImageFormatException($"{name}: PNG is truncated (no IDAT image data{(sawEnd ? "" : ", no IEND")})");

        var channels = colorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => 0 };
        var validDepth = colorType switch
        {
            0 => bitDepth is 1 or 2 or 4 or 8 or 16,
            3 => bitDepth is 1 or 2 or 4 or 8,
            _ => bitDepth is 8 or 16,
        };
        if (channels == 0 || !validDepth)
            throw new ImageFormatException($"{name}: PNG colour type {colorType} with bit depth {bitDepth} is not valid");
        if (colorType == 3 && palette is null) throw new ImageFormatException($"{name}: palette PNG has no PLTE chunk");

        var bitsPerPixel = channels * bitDepth;
        var stride = (int)(((long)width * bitsPerPixel + 7) / 8);
        var bpp = Math.Max(1, bitsPerPixel / 8);
        var rowBytes = stride + 1;
        if ((long)rowBytes * height > int.MaxValue) throw new ImageFormatException($"{name}: image data of {(long)rowBytes * height} bytes is too large");
        var writer = new ShrinkingImageWriter(width, height, reduction?.Invoke(width, height) ?? 1);
        // Filtered rows are inflated a band at a time (large reads are much cheaper than one per
        // row), unfiltered in place against the row above, converted and handed to the writer, so
        // beside the (possibly reduced) output only one band of rows is ever held.
        var bandRows = Math.Clamp((1 << 20) / rowBytes, 1, height);
        var band = ArrayPool<byte>.Shared.Rent(bandRows * rowBytes);
        var previous = ArrayPool<byte>.Shared.Rent(stride);
        var converted = ArrayPool<float>.Shared.Rent(width);
        try
        {
            previous.AsSpan(0, stride).Clear();
            using var z = new ZLibStream(new ChunkStream(data, idat), CompressionMode.Decompress);
            for (var y0 = 0; y0 < height; y0 += bandRows)
            {
                var rows = Math.Min(bandRows, height - y0);
                var wanted = rows * rowBytes;
                for (var read = 0; read < wanted;)
                {
                    var n = z.Read(band, read, wanted - read);
                    if (n == 0) throw new ImageFormatException($"{name}: PNG image data ends at row {y0 + read / rowBytes} of {height} (file truncated or corrupt)");
                    read += n;
                }
                for (var r = 0; r < rows; r++)
                {
                    var row = band.AsSpan(r * rowBytes + 1, stride);
                    ReadOnlySpan<byte> prev = r == 0 ? previous.AsSpan(0, stride) : band.AsSpan((r - 1) * rowBytes + 1, stride);
                    if (bpp == 1 && r + 1 < rows && band[r * rowBytes] == PngFilters.PaethFilter && band[(r + 1) * rowBytes] == PngFilters.PaethFilter)
                    {
                        // Two Paeth rows in a row (most of a radiograph): unfilter them together.
                        var lower = band.AsSpan((r + 1) * rowBytes + 1, stride);
                        PngFilters.PaethPair(row, lower, prev);
                        ConvertRow(row, converted.AsSpan(0, width), colorType, bitDepth, channels, palette);
                        writer.Add(converted.AsSpan(0, width));
                        ConvertRow(lower, converted.AsSpan(0, width), colorType, bitDepth, channels, palette);
                        writer.Add(converted.AsSpan(0, width));
                        r++;
                        continue;
                    }
                    PngFilters.Unfilter(band[r * rowBytes], row, prev, bpp, name, y0 + r);
                    ConvertRow(row, converted.AsSpan(0, width), colorType, bitDepth, channels, palette);
                    writer.Add(converted.AsSpan(0, width));
                }
                band.AsSpan((rows - 1) * rowBytes + 1, stride).CopyTo(previous);
            }
        }
        catch (InvalidDataException e)
        {
            throw new ImageFormatException($"{name}: PNG image data is corrupt ({e.Message})", e);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(band);
            ArrayPool<byte>.Shared.Return(previous);
            ArrayPool<float>.Shared.Return(converted);
        }
        return new Radiograph
        {
            Image = writer.Build(),
            Reduction = writer.Factor,
            BitsStored = bitDepth == 16 ? 16 : 8,
            Format = $"PNG {bitDepth}-bit " + colorType switch { 0 => "grey", 2 => "RGB", 3 => "palette", 4 => "grey+alpha", _ => "RGBA" },
        };
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void Widen(ReadOnlySpan<byte> src, Span<float> dst)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= src.Length - Vector<byte>.Count; i += Vector<byte>.Count)
            {
                Vector.Widen(new Vector<byte>(src[i..]), out var lo, out var hi);
                Vector.Widen(lo, out var a, out var b);
                Vector.Widen(hi, out var c, out var d);
                var step = Vector<int>.Count;
                Vector.ConvertToSingle(Vector.AsVectorInt32(a)).CopyTo(dst[i..]);
                Vector.ConvertToSingle(Vector.AsVectorInt32(b)).CopyTo(dst[(i + step)..]);
                Vector.ConvertToSingle(Vector.AsVectorInt32(c)).CopyTo(dst[(i + 2 * step)..]);
                Vector.ConvertToSingle(Vector.AsVectorInt32(d)).CopyTo(dst[(i + 3 * step)..]);
            }
        }
        for (; i < src.Length; i++) dst[i] = src[i];
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void ConvertRow(ReadOnlySpan<byte> row, Span<float> dst, int colorType, int bitDepth, int channels, byte[]? palette)
    {
        if (bitDepth < 8)
        {
            var perByte = 8 / bitDepth;
            var mask = (1 << bitDepth) - 1;
            for (var x = 0; x < dst.Length; x++)
            {
                var v = (row[x / perByte] >> (8 - bitDepth * (x % perByte + 1))) & mask;
                dst[x] = colorType == 3 ? PaletteGrey(palette!, v) : v * (255f / mask);
            }
            return;
        }
        if (bitDepth == 8)
        {
            switch (colorType)
            {
                case 0: Widen(row[..dst.Length], dst); break;
                case 3: for (var x = 0; x < dst.Length; x++) dst[x] = PaletteGrey(palette!, row[x]); break;
                case 4: for (var x = 0; x < dst.Length; x++) dst[x] = row[2 * x]; break;
                default:
                    for (var x = 0; x < dst.Length; x++)
                    {
                        var o = x * channels;
                        dst[x] = Luma(row[o], row[o + 1], row[o + 2]);
                    }
                    break;
            }
            return;
        }
        for (var x = 0; x < dst.Length; x++)
        {
            var o = x * channels * 2;
            if (colorType is 0 or 4) dst[x] = BinaryPrimitives.ReadUInt16BigEndian(row[o..]);
            else dst[x] = Luma(BinaryPrimitives.ReadUInt16BigEndian(row[o..]), BinaryPrimitives.ReadUInt16BigEndian(row[(o + 2)..]), BinaryPrimitives.ReadUInt16BigEndian(row[(o + 4)..]));
        }
    }

    private static float PaletteGrey(byte[] palette, int index) =>
        3 * index + 2 < palette.Length ? Luma(palette[3 * index], palette[3 * index + 1], palette[3 * index + 2]) : 0f;

    /// <summary>BT.601 luma, the usual colour-to-grey conversion (also ffmpeg's rgb→gray).</summary>
    internal static float Luma(float r, float g, float b) => 0.299f * r + 0.587f * g + 0.114f * b;

    /// <summary>Reads the IDAT chunk bodies back to back as one stream, without copying them.</summary>
    private sealed class ChunkStream(byte[] data, List<(int Offset, int Length)> chunks) : Stream
    {
        private int _chunk;
        private int _inChunk;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            while (_chunk < chunks.Count && _inChunk == chunks[_chunk].Length) { _chunk++; _inChunk = 0; }
            if (_chunk == chunks.Count) return 0;
            var (off, len) = chunks[_chunk];
            var n = Math.Min(buffer.Length, len - _inChunk);
            data.AsSpan(off + _inChunk, n).CopyTo(buffer);
            _inChunk += n;
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
