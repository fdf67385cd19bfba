using System.Buffers.Binary;
using System.Text;
using Vigil.Cluster.Wire;

namespace Vigil.Cluster.Edge;

/// <summary>One patient window as it travels through the broker: patient id, window number (from 0 per patient), payload.</summary>
/// <param name="PatientId">Patient id (the sharding key).</param>
/// <param name="Seq">Window number, 0, 1, 2, … per patient.</param>
/// <param name="Payload">Window bytes (for PPG: one second of samples, <see cref="Sharding.PpgShardFunction.Encode"/>).</param>
public sealed record Reading(string PatientId, long Seq, byte[] Payload);

/// <summary>One window's output, as published to the results queue.</summary>
/// <param name="PatientId">Patient id.</param>
/// <param name="Seq">Window number.</param>
/// <param name="Node">Node whose patient entity produced it (provenance).</param>
/// <param name="Output">The patient function's output bytes.</param>
public sealed record WindowResult(string PatientId, long Seq, string Node, byte[] Output);

/// <summary>
/// Binary framing of several readings (or results) per broker message, little-endian:
/// <c>magic u32 ("VGR1" readings, "VGO1" results) | count u16 | item × count</c>;
/// reading := str8 patient | seq i64 | length u32 | payload; result := str8 patient | seq i64 | str8 node | length u32 | output.
/// Malformed frames fail with the byte offset where they broke.
/// </summary>
public static class ReadingFrame
{
    private const uint ReadingsMagic = 0x31524756, ResultsMagic = 0x314F4756;

    /// <summary>Encodes readings into one frame.</summary>
    public static byte[] EncodeReadings(IReadOnlyList<Reading> readings)
    {
        Check(readings.Count);
        int size = 6 + readings.Sum(r => 1 + Encoding.UTF8.GetByteCount(r.PatientId) + 8 + 4 + r.Payload.Length);
        var b = new byte[size];
        BinaryPrimitives.WriteUInt32LittleEndian(b, ReadingsMagic);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(4), (ushort)readings.Count);
        int p = 6;
        foreach (var r in readings)
        {
            p = Str8(b, p, r.PatientId);
            BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(p), r.Seq); p += 8;
            BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(p), r.Payload.Length); p += 4;
            r.Payload.CopyTo(b, p); p += r.Payload.Length;
        }
        return b;
    }

    /// <summary>Decodes a readings frame; throws <see cref="FrameFormatException"/> naming the offset when malformed.</summary>
    public static List<Reading> DecodeReadings(ReadOnlySpan<byte> b)
    {
        int count = Header(b, ReadingsMagic, "readings");
        var list = new List<Reading>(count);
        int p = 6;
        for (int i = 0; i < count; i++)
        {
            string patient = ReadStr8(b, ref p);
            long seq = I64(b, ref p);
            int len = Len(b, ref p);
            list.Add(new Reading(patient, seq, b.Slice(p, len).ToArray())); p += len;
        }
        End(b, p);
        return list;
    }

    /// <summary>Encodes results into one frame.</summary>
    public static byte[] EncodeResults(IReadOnlyList<WindowResult> results)
    {
        Check(results.Count);
        int size = 6 + results.Sum(r => 2 + Encoding.UTF8.GetByteCount(r.PatientId) + Encoding.UTF8.GetByteCount(r.Node) + 8 + 4 + r.Output.Length);
        var b = new byte[size];
        BinaryPrimitives.WriteUInt32LittleEndian(b, ResultsMagic);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(4), (ushort)results.Count);
        int p = 6;
        foreach (var r in results)
        {
            p = Str8(b, p, r.PatientId);
            BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(p), r.Seq); p += 8;
            p = Str8(b, p, r.Node);
            BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(p), r.Output.Length); p += 4;
            r.Output.CopyTo(b, p); p += r.Output.Length;
        }
        return b;
    }

    /// <summary>Decodes a results frame.</summary>
    public static List<WindowResult> DecodeResults(ReadOnlySpan<byte> b)
    {
        int count = Header(b, ResultsMagic, "results");
        var list = new List<WindowResult>(count);
        int p = 6;
        for (int i = 0; i < count; i++)
        {
            string patient = ReadStr8(b, ref p);
            long seq = I64(b, ref p);
            string node = ReadStr8(b, ref p);
            int len = Len(b, ref p);
            list.Add(new WindowResult(patient, seq, node, b.Slice(p, len).ToArray())); p += len;
        }
        End(b, p);
        return list;
    }

    private static void Check(int count)
    {
        if (count is < 1 or > ushort.MaxValue) throw new ArgumentOutOfRangeException(nameof(count), $"a frame carries 1 to {ushort.MaxValue} items, not {count}");
    }

    private static int Header(ReadOnlySpan<byte> b, uint magic, string what)
    {
        if (b.Length < 6) throw new FrameFormatException($"malformed {what} frame: {b.Length} bytes is shorter than its 6-byte header");
        if (BinaryPrimitives.ReadUInt32LittleEndian(b) != magic) throw new FrameFormatException($"malformed {what} frame at byte 0: wrong magic 0x{BinaryPrimitives.ReadUInt32LittleEndian(b):x8}");
        int count = BinaryPrimitives.ReadUInt16LittleEndian(b[4..]);
        if (count == 0) throw new FrameFormatException($"malformed {what} frame at byte 4: zero items");
        return count;
    }

    private static int Str8(byte[] b, int p, string s)
    {
        int n = Encoding.UTF8.GetBytes(s, 0, s.Length, b, p + 1);
        if (n > 255) throw new ArgumentException($"'{s}' is longer than 255 bytes");
        b[p] = (byte)n;
        return p + 1 + n;
    }

    private static string ReadStr8(ReadOnlySpan<byte> b, ref int p)
    {
        Need(b, p, 1);
        int n = b[p];
        Need(b, p + 1, n);
        var s = Encoding.UTF8.GetString(b.Slice(p + 1, n));
        p += 1 + n;
        return s;
    }

    private static long I64(ReadOnlySpan<byte> b, ref int p)
    {
        Need(b, p, 8);
        long v = BinaryPrimitives.ReadInt64LittleEndian(b[p..]); p += 8;
        return v;
    }

    private static int Len(ReadOnlySpan<byte> b, ref int p)
    {
        Need(b, p, 4);
        int v = BinaryPrimitives.ReadInt32LittleEndian(b[p..]); p += 4;
        if (v < 0) throw new FrameFormatException($"malformed frame at byte {p - 4}: negative length {v}");
        Need(b, p, v);
        return v;
    }

    private static void Need(ReadOnlySpan<byte> b, int p, int n)
    {
        if (p + n > b.Length) throw new FrameFormatException($"malformed frame at byte {p} of {b.Length}: needs {n} more bytes");
    }

    private static void End(ReadOnlySpan<byte> b, int p)
    {
        if (p != b.Length) throw new FrameFormatException($"malformed frame at byte {p} of {b.Length}: {b.Length - p} trailing bytes");
    }
}
