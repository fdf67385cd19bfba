namespace Vigil.Models.Tests.OnnxBuilder;

/// <summary>
/// A test-side protobuf field walker (independent of the writer): decodes one message level
/// into (field number, wire type, varint value or bytes) so tests can check what was written.
/// </summary>
internal static class ProtoFields
{
    public sealed record Field(int Number, int WireType, ulong Varint, byte[] Bytes);

    public static List<Field> Parse(byte[] data)
    {
        var fields = new List<Field>();
        var pos = 0;
        while (pos < data.Length)
        {
            var tag = ReadVarint(data, ref pos);
            int number = (int)(tag >> 3), wire = (int)(tag & 7);
            switch (wire)
            {
                case 0: fields.Add(new Field(number, wire, ReadVarint(data, ref pos), [])); break;
                case 2:
                    var len = (int)ReadVarint(data, ref pos);
                    fields.Add(new Field(number, wire, 0, data[pos..(pos + len)]));
                    pos += len;
                    break;
                case 5: fields.Add(new Field(number, wire, 0, data[pos..(pos + 4)])); pos += 4; break;
                default: throw new InvalidDataException($"unexpected wire type {wire} at byte {pos}");
            }
        }
        return fields;
    }

    public static string Text(this Field f) => System.Text.Encoding.UTF8.GetString(f.Bytes);

    public static Field One(this List<Field> fields, int number) => Assert.Single(fields, f => f.Number == number);

    private static ulong ReadVarint(byte[] data, ref int pos)
    {
        ulong result = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = data[pos++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return result;
        }
    }
}
