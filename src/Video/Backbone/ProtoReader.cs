using System.Text;

namespace Vigil.Video.Backbone;

/// <summary>
/// Walks the top-level fields of a protobuf message without a schema: enough to find an ONNX
/// model's graph, its nodes and their outputs, and to copy every other field byte for byte.
/// </summary>
internal static class ProtoReader
{
    /// <summary>The fields of <paramref name="message"/> in order; malformed bytes throw <see cref="InvalidDataException"/>.</summary>
    public static List<ProtoField> Fields(ReadOnlySpan<byte> message)
    {
        var fields = new List<ProtoField>();
        var pos = 0;
        while (pos < message.Length)
        {
            var start = pos;
            var tag = ReadVarint(message, ref pos);
            var number = (int)(tag >> 3);
            var wire = (int)(tag & 7);
            if (number <= 0) throw new InvalidDataException($"protobuf field number {number} at byte {start}");
            var payload = pos;
            switch (wire)
            {
                case 0: ReadVarint(message, ref pos); payload = pos; break;
                case 1: pos += 8; payload = pos; break;
                case 5: pos += 4; payload = pos; break;
                case 2:
                    var length = ReadVarint(message, ref pos);
                    if (length > (ulong)(message.Length - pos)) throw new InvalidDataException($"protobuf field {number} at byte {start} runs past the end");
                    payload = pos;
                    pos += (int)length;
                    break;
                default: throw new InvalidDataException($"protobuf wire type {wire} at byte {start} is not supported");
            }
            if (pos > message.Length) throw new InvalidDataException($"protobuf field {number} at byte {start} runs past the end");
            fields.Add(new ProtoField(number, wire, start, pos, payload));
        }
        return fields;
    }

    /// <summary>The UTF-8 strings of every length-delimited field numbered <paramref name="number"/>.</summary>
    public static IEnumerable<string> Strings(ReadOnlyMemory<byte> message, int number)
    {
        foreach (var f in Fields(message.Span))
            if (f.Number == number && f.WireType == 2)
                yield return Encoding.UTF8.GetString(f.Payload(message).Span);
    }

    /// <summary>Reads a base-128 varint at <paramref name="pos"/>.</summary>
    public static ulong ReadVarint(ReadOnlySpan<byte> data, ref int pos)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (pos >= data.Length) throw new InvalidDataException("protobuf varint runs past the end");
            var b = data[pos++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
        }
        throw new InvalidDataException("protobuf varint longer than 10 bytes");
    }

    /// <summary>Appends a varint to <paramref name="output"/>.</summary>
    public static void WriteVarint(Stream output, ulong value)
    {
        while (value >= 0x80)
        {
            output.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        output.WriteByte((byte)value);
    }

    /// <summary>Appends a length-delimited field.</summary>
    public static void WriteBytes(Stream output, int number, ReadOnlySpan<byte> payload)
    {
        WriteVarint(output, (ulong)((number << 3) | 2));
        WriteVarint(output, (ulong)payload.Length);
        output.Write(payload);
    }

    /// <summary>Appends a varint field.</summary>
    public static void WriteVarintField(Stream output, int number, ulong value)
    {
        WriteVarint(output, (ulong)(number << 3));
        WriteVarint(output, value);
    }
}
