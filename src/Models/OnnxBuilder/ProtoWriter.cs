using System.Buffers.Binary;
using System.Text;

namespace Vigil.Models.OnnxBuilder;

/// <summary>
/// A minimal protocol-buffers encoder: varints, length-delimited fields and packed repeated
/// fields, enough to serialise ONNX messages. Nested messages are written into their own writer
/// first so their length prefix is known (the models built here are small).
/// </summary>
internal sealed class ProtoWriter
{
    // Wire types from the protobuf encoding specification.
    private const int Varint = 0;
    private const int Fixed32 = 5;
    private const int LengthDelimited = 2;

    // Encoded bytes so far.
    private readonly MemoryStream _buffer = new();

    /// <summary>Number of bytes written.</summary>
    public long Length => _buffer.Length;

    /// <summary>The encoded message.</summary>
    public byte[] ToArray() => _buffer.ToArray();

    public void Int64(int field, long value)
    {
        Tag(field, Varint);
        WriteVarint(unchecked((ulong)value));
    }

    public void Float(int field, float value)
    {
        Tag(field, Fixed32);
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(b, value);
        _buffer.Write(b);
    }

    /// <summary>Appends already-encoded bytes (a whole field copied from another message).</summary>
    public void Raw(ReadOnlySpan<byte> encoded) => _buffer.Write(encoded);

    public void String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public void Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, LengthDelimited);
        WriteVarint((ulong)value.Length);
        _buffer.Write(value);
    }

    public void Message(int field, Action<ProtoWriter> write)
    {
        var nested = new ProtoWriter();
        write(nested);
        Bytes(field, nested._buffer.GetBuffer().AsSpan(0, (int)nested._buffer.Length));
    }

    public void PackedFloats(int field, ReadOnlySpan<float> values)
    {
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        Bytes(field, bytes);
    }

    public void PackedInt64s(int field, ReadOnlySpan<long> values)
    {
        var packed = new ProtoWriter();
        foreach (var v in values) packed.WriteVarint(unchecked((ulong)v));
        Bytes(field, packed._buffer.GetBuffer().AsSpan(0, (int)packed._buffer.Length));
    }

    private void Tag(int field, int wireType) => WriteVarint((ulong)((field << 3) | wireType));

    private void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            _buffer.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        _buffer.WriteByte((byte)value);
    }
}
