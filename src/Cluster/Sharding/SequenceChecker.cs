using System.Buffers.Binary;

namespace Vigil.Cluster.Sharding;

/// <summary>
/// A small stateful per-patient function whose whole state is exact and serialisable, so tests can
/// tell whether a patient's state survived a move intact: it counts the windows folded in, remembers
/// the last window number, and chains a 64-bit FNV-1a digest over every window's bytes.
/// Output: windows counted (i64) | previous window number (i64) | in order (u8) | digest after this window (u64).
/// When the state moves intact between nodes, count = window number + 1 for every window and the
/// digest equals the one computed over the same windows without a move.
/// </summary>
public sealed class SequenceChecker : IPatientFunction
{
    private const ulong FnvOffset = 14695981039346656037, FnvPrime = 1099511628211;
    private long _count;
    private long _last = -1;
    private ulong _digest = FnvOffset;

    /// <summary>Fresh state, or restored from <see cref="Snapshot"/> bytes.</summary>
    public SequenceChecker(byte[]? snapshot)
    {
        if (snapshot is null) return;
        if (snapshot.Length != 24) throw new ArgumentException($"sequence checker snapshot must be 24 bytes, got {snapshot.Length}");
        _count = BinaryPrimitives.ReadInt64LittleEndian(snapshot);
        _last = BinaryPrimitives.ReadInt64LittleEndian(snapshot.AsSpan(8));
        _digest = BinaryPrimitives.ReadUInt64LittleEndian(snapshot.AsSpan(16));
    }

    /// <inheritdoc />
    public byte[] Process(long seq, ReadOnlySpan<byte> window)
    {
        var output = new byte[25];
        _count++;
        _digest = Fold(_digest, seq, window);
        BinaryPrimitives.WriteInt64LittleEndian(output, _count);
        BinaryPrimitives.WriteInt64LittleEndian(output.AsSpan(8), _last);
        output[16] = (byte)(seq == _last + 1 ? 1 : 0);
        BinaryPrimitives.WriteUInt64LittleEndian(output.AsSpan(17), _digest);
        _last = seq;
        return output;
    }

    /// <summary>The digest after folding window <paramref name="seq"/> into <paramref name="digest"/> (the starting digest is <see cref="InitialDigest"/>).</summary>
    public static ulong Fold(ulong digest, long seq, ReadOnlySpan<byte> window)
    {
        Span<byte> s = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(s, seq);
        foreach (var b in s) digest = (digest ^ b) * FnvPrime;
        foreach (var b in window) digest = (digest ^ b) * FnvPrime;
        return digest;
    }

    /// <summary>The digest of an empty history.</summary>
    public static ulong InitialDigest => FnvOffset;

    /// <inheritdoc />
    public byte[] Snapshot()
    {
        var b = new byte[24];
        BinaryPrimitives.WriteInt64LittleEndian(b, _count);
        BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(8), _last);
        BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(16), _digest);
        return b;
    }

    /// <summary>Reads an output: (windows counted, previous window, in order, digest).</summary>
    public static (long Count, long Previous, bool InOrder, ulong Digest) ReadOutput(ReadOnlySpan<byte> output) =>
        (BinaryPrimitives.ReadInt64LittleEndian(output), BinaryPrimitives.ReadInt64LittleEndian(output[8..]), output[16] == 1,
         BinaryPrimitives.ReadUInt64LittleEndian(output[17..]));

    /// <summary>Reads a snapshot: (windows counted, last window, digest).</summary>
    public static (long Count, long Last, ulong Digest) ReadSnapshot(ReadOnlySpan<byte> snapshot) =>
        (BinaryPrimitives.ReadInt64LittleEndian(snapshot), BinaryPrimitives.ReadInt64LittleEndian(snapshot[8..]), BinaryPrimitives.ReadUInt64LittleEndian(snapshot[16..]));
}

/// <summary>Creates <see cref="SequenceChecker"/>s.</summary>
public sealed class SequenceCheckerFactory : IPatientFunctionFactory
{
    /// <inheritdoc />
    public IPatientFunction Create(string patient, byte[]? snapshot) => new SequenceChecker(snapshot);
}
