using System.Text;

namespace Vigil.Models.Onnx.Protobuf;

/// <summary>
/// Walks the top-level fields of a protobuf message without a schema: enough to read an ONNX
/// model's graph, nodes and initializers (the TorchSharp import, the video attention tap) and to copy
/// every other field byte for byte. (<c>Vigil.Models.OnnxBuilder</c> has the matching writer.)
/// </summary>
public static class ProtoReader
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
                case 0: ReadVarint(message, ref pos); break;
                case 1: pos += 8; break;
                case 5: pos += 4; break;
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
}
