using System.Buffers.Binary;
using System.IO.Compression;

namespace Vigil.Models.Training.Adaptation;

/// <summary>
/// Reads IDX files (the MNIST format: two zero bytes, a type byte that must be 0x08 for unsigned
/// bytes, a dimension count, big-endian int32 sizes, then the data), plain or gzip-compressed (<c>.gz</c>).
/// </summary>
public static class IdxFile
{
    /// <summary>Reads <paramref name="path"/>; returns its dimensions and bytes.</summary>
    /// <exception cref="InvalidDataException">The file is not an unsigned-byte IDX file or is truncated; the message names it.</exception>
    public static (int[] Shape, byte[] Data) Read(string path)
    {
        byte[] bytes;
        try
        {
            using var file = File.OpenRead(path);
            using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            bytes = memory.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: not a valid gzip stream ({e.Message})", e);
        }
        if (bytes.Length < 4 || bytes[0] != 0 || bytes[1] != 0)
            throw new InvalidDataException($"{path}: not an IDX file (the first two bytes must be zero).");
        if (bytes[2] != 0x08)
            throw new InvalidDataException($"{path}: IDX element type 0x{bytes[2]:x2} is not supported (only 0x08, unsigned byte).");
        int dims = bytes[3];
        if (dims < 1 || bytes.Length < 4 + 4 * dims)
            throw new InvalidDataException($"{path}: IDX header is truncated ({dims} dimensions, {bytes.Length} bytes).");
        var shape = new int[dims];
        long total = 1;
        for (var d = 0; d < dims; d++)
        {
            shape[d] = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * d));
            if (shape[d] < 0) throw new InvalidDataException($"{path}: dimension {d} is negative ({shape[d]}).");
            total *= shape[d];
        }
        var offset = 4 + 4 * dims;
        if (bytes.Length - offset != total)
            throw new InvalidDataException($"{path}: the header announces {total} values ({string.Join("x", shape)}) but {bytes.Length - offset} bytes follow.");
        return (shape, bytes[offset..]);
    }
}
