namespace Vigil.Video.Backbone;

/// <summary>Appends protobuf fields to a stream: what the attention tap needs to write new graph outputs.</summary>
internal static class ProtoOutput
{
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
