using System.Buffers.Binary;
using System.Text;
using Vigil.Cluster.Wire;

namespace Vigil.Cluster.Sharding;

/// <summary>
/// A patient-stream message (window, state hand-off, state request or output) and its binary
/// encoding: magic u32 'VGP1' | kind u8 | str8 patient | seq i64 | event time i64 (unix ms) |
/// str8 node | flags u8 | str16 note | payload length u32 | payload bytes. Little-endian.
/// </summary>
/// <param name="Kind">Message kind.</param>
/// <param name="Patient">Patient id (also the consistent-hash routing key).</param>
/// <param name="Seq">Window number (meaning per kind, see <see cref="PatientMessageKind"/>).</param>
/// <param name="EventTime">Event time of the window.</param>
/// <param name="Node">Node name (meaning per kind).</param>
/// <param name="Flags">Output flags (<see cref="StateRebuilt"/>).</param>
/// <param name="Note">Free text (an output's caveat, a request's reply queue).</param>
/// <param name="Payload">Window samples, state snapshot or output bytes.</param>
public sealed record PatientMessage(
    PatientMessageKind Kind, string Patient, long Seq, DateTimeOffset EventTime, string Node, byte Flags, string Note, ReadOnlyMemory<byte> Payload)
{
    /// <summary>Output flag: the patient's state was not handed over and was started afresh (or windows were missing).</summary>
    public const byte StateRebuilt = 1;

    private const uint Magic = 0x31504756; // "VGP1"

    /// <summary>A window message.</summary>
    public static PatientMessage Window(string patient, long seq, ReadOnlyMemory<byte> samples, DateTimeOffset eventTime) =>
        new(PatientMessageKind.Window, patient, seq, eventTime, "", 0, "", samples);

    /// <summary>Encodes the message.</summary>
    public byte[] Encode()
    {
        int size = 4 + 1 + 1 + Len(Patient, 255) + 8 + 8 + 1 + Len(Node, 255) + 1 + 2 + Len(Note, ushort.MaxValue) + 4 + Payload.Length;
        var b = new byte[size];
        int p = 0;
        BinaryPrimitives.WriteUInt32LittleEndian(b, Magic); p += 4;
        b[p++] = (byte)Kind;
        p = Str(b, p, Patient, 1);
        BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(p), Seq); p += 8;
        BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(p), EventTime.ToUnixTimeMilliseconds()); p += 8;
        p = Str(b, p, Node, 1);
        b[p++] = Flags;
        p = Str(b, p, Note, 2);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(p), (uint)Payload.Length); p += 4;
        Payload.Span.CopyTo(b.AsSpan(p));
        return b;
    }

    /// <summary>Decodes a message (the payload is copied); throws <see cref="FrameFormatException"/> when malformed.</summary>
    public static PatientMessage Decode(ReadOnlySpan<byte> b)
    {
        int p = 0;
        void Need(int n, ReadOnlySpan<byte> span) { if (span.Length - p < n) throw new FrameFormatException($"patient message truncated at byte {p} of {span.Length}"); }
        Need(5, b);
        if (BinaryPrimitives.ReadUInt32LittleEndian(b) != Magic) throw new FrameFormatException("not a Vigil patient message (bad magic)");
        p = 4;
        byte kind = b[p++];
        if (kind is 0 or > (byte)PatientMessageKind.Output) throw new FrameFormatException($"unknown patient message kind {kind}");
        string ReadStr(int width, ReadOnlySpan<byte> span)
        {
            Need(width, span);
            int n = width == 1 ? span[p] : BinaryPrimitives.ReadUInt16LittleEndian(span[p..]);
            p += width;
            Need(n, span);
            var s = Encoding.UTF8.GetString(span.Slice(p, n));
            p += n;
            return s;
        }
        string patient = ReadStr(1, b);
        Need(16, b);
        long seq = BinaryPrimitives.ReadInt64LittleEndian(b[p..]); p += 8;
        long time = BinaryPrimitives.ReadInt64LittleEndian(b[p..]); p += 8;
        string node = ReadStr(1, b);
        Need(1, b);
        byte flags = b[p++];
        string note = ReadStr(2, b);
        Need(4, b);
        int len = (int)BinaryPrimitives.ReadUInt32LittleEndian(b[p..]); p += 4;
        if (len != b.Length - p) throw new FrameFormatException($"patient message payload says {len} bytes, {b.Length - p} present");
        return new PatientMessage((PatientMessageKind)kind, patient, seq, DateTimeOffset.FromUnixTimeMilliseconds(time), node, flags, note, b[p..].ToArray());
    }

    private static int Len(string s, int max)
    {
        int n = Encoding.UTF8.GetByteCount(s);
        if (n > max) throw new ArgumentException($"'{s[..Math.Min(40, s.Length)]}' is longer than {max} UTF-8 bytes");
        return n;
    }

    private static int Str(byte[] b, int p, string s, int width)
    {
        int n = Encoding.UTF8.GetBytes(s, 0, s.Length, b, p + width);
        if (width == 1) b[p] = (byte)n; else BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(p), (ushort)n);
        return p + width + n;
    }
}
