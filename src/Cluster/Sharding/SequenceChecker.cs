using System.Buffers.Binary;

namespace Vigil.Cluster.Sharding;

/// <summary>
/// A simple stateful per-patient function (stand-in until the PPG tracker is wired): it counts the
/// windows folded into its state and checks that each window number follows the previous one.
/// Output: windows counted (i64) | previous window number (i64) | in order (u8). When the state
/// moves intact between nodes, the count equals the window number + 1 for every window.
/// </summary>
public sealed class SequenceChecker : IPatientFunction
{
    private long _count;
    private long _last = -1;

    /// <summary>Fresh state, or restored from <see cref="Snapshot"/> bytes.</summary>
    public SequenceChecker(byte[]? snapshot)
    {
        if (snapshot is null) return;
        if (snapshot.Length != 16) throw new ArgumentException($"sequence checker snapshot must be 16 bytes, got {snapshot.Length}");
        _count = BinaryPrimitives.ReadInt64LittleEndian(snapshot);
        _last = BinaryPrimitives.ReadInt64LittleEndian(snapshot.AsSpan(8));
    }

    /// <inheritdoc />
    public byte[] Process(long seq, ReadOnlySpan<byte> window)
    {
        var output = new byte[17];
        _count++;
        BinaryPrimitives.WriteInt64LittleEndian(output, _count);
        BinaryPrimitives.WriteInt64LittleEndian(output.AsSpan(8), _last);
        output[16] = (byte)(seq == _last + 1 ? 1 : 0);
        _last = seq;
        return output;
    }

    /// <inheritdoc />
    public byte[] Snapshot()
    {
        var b = new byte[16];
        BinaryPrimitives.WriteInt64LittleEndian(b, _count);
        BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(8), _last);
        return b;
    }

    /// <summary>Reads an output: (windows counted, previous window, in order).</summary>
    public static (long Count, long Previous, bool InOrder) ReadOutput(ReadOnlySpan<byte> output) =>
        (BinaryPrimitives.ReadInt64LittleEndian(output), BinaryPrimitives.ReadInt64LittleEndian(output[8..]), output[16] == 1);
}

/// <summary>Creates <see cref="SequenceChecker"/>s.</summary>
public sealed class SequenceCheckerFactory : IPatientFunctionFactory
{
    /// <inheritdoc />
    public IPatientFunction Create(string patient, byte[]? snapshot) => new SequenceChecker(snapshot);
}
