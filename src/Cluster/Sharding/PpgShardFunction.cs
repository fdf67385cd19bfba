using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Vigil.Ppg;

namespace Vigil.Cluster.Sharding;

/// <summary>
/// The PPG heart-rate tracker (<see cref="PatientPpgTracker"/>) as a sharded per-patient function.
/// Window payload: a sample batch (<see cref="Encode"/>). Output: the tracker's results for the
/// windows the batch completed. Snapshot semantics: the tracker's internal state is not
/// serialisable, so the snapshot is the last <c>replayWindows</c> window payloads; the next owner
/// rebuilds the tracker by replaying them (their results discarded). Heart-rate estimates after a
/// recovery (crash or move) therefore rest on the replayed history only (the HMM's longer memory is lost), and window
/// indices in results restart from the first replayed sample; window start/end times stay in the
/// input's time base.
/// </summary>
public sealed class PpgShardFunction : IPatientFunction
{
    private readonly string _patient;
    private readonly int _replayWindows;
    private readonly Queue<byte[]> _recent = new();
    private PatientPpgTracker? _tracker;
    // Fresh (no snapshot) and not yet past its first window: a first window with seq > 0 means the state was rebuilt.
    private bool _fresh, _warmingUp;

    /// <summary>Fresh, or rebuilt by replaying the windows in <paramref name="snapshot"/>.</summary>
    public PpgShardFunction(string patient, byte[]? snapshot, int replayWindows)
    {
        _patient = patient; _replayWindows = replayWindows;
        _fresh = snapshot is null;
        if (snapshot is null) return;
        int n = BinaryPrimitives.ReadUInt16LittleEndian(snapshot), p = 2;
        for (int i = 0; i < n; i++)
        {
            int len = BinaryPrimitives.ReadInt32LittleEndian(snapshot.AsSpan(p)); p += 4;
            var window = snapshot.AsSpan(p, len).ToArray(); p += len;
            Push(window, new List<PpgWindowResult>());
            Remember(window);
        }
    }

    /// <inheritdoc />
    public byte[] Process(long seq, ReadOnlySpan<byte> window)
    {
        var copy = window.ToArray();
        var results = new List<PpgWindowResult>();
        string? error = null;
        if (_fresh) { _warmingUp = seq > 0; _fresh = false; }
        try
        {
            var batch = Push(copy, results);
            Remember(copy);
            // Rebuilt mid-stream (its owner died with the state): until the new tracker has a full
            // analysis window, say so with a withheld result per window instead of saying nothing.
            if (_warmingUp && results.Count == 0 && batch.Count > 0)
                results.Add(new PpgWindowResult(_patient, -1, batch.TimeSeconds[0], batch.TimeSeconds[^1], double.NaN, 0, 0, 0, PpgStatus.Withheld,
                    "tracker warming up: its state was rebuilt mid-stream", "cluster:" + _patient));
            else if (results.Count > 0) _warmingUp = false;
        }
        catch (PpgInputException e) { error = e.Message; }
        return EncodeResults(results, error);
    }

    private PpgSampleBatch Push(byte[] window, List<PpgWindowResult> results)
    {
        var batch = Decode(_patient, window);
        _tracker ??= new PatientPpgTracker(_patient, batch.Ppg.Length, inputIdentity: "cluster:" + _patient);
        _tracker.Push(batch, results);
        return batch;
    }

    private void Remember(byte[] window)
    {
        _recent.Enqueue(window);
        while (_recent.Count > _replayWindows) _recent.Dequeue();
    }

    /// <inheritdoc />
    public byte[] Snapshot()
    {
        var b = new byte[2 + _recent.Sum(w => 4 + w.Length)];
        BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)_recent.Count);
        int p = 2;
        foreach (var w in _recent)
        {
            BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(p), w.Length); p += 4;
            w.CopyTo(b, p); p += w.Length;
        }
        return b;
    }

    /// <summary>Encodes a sample batch: channels u16 | count u32 | t f64×count | ppg f32×count per channel | acc x, y, z f32×count.</summary>
    public static byte[] Encode(PpgSampleBatch batch)
    {
        int n = batch.Count, ch = batch.Ppg.Length;
        var b = new byte[6 + n * 8 + (ch + 3) * n * 4];
        BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)ch);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(2), n);
        int p = 6;
        MemoryMarshal.AsBytes(batch.TimeSeconds.AsSpan()).CopyTo(b.AsSpan(p)); p += n * 8;
        foreach (var s in batch.Ppg.Concat([batch.AccX, batch.AccY, batch.AccZ]))
        {
            MemoryMarshal.AsBytes(s.AsSpan()).CopyTo(b.AsSpan(p)); p += n * 4;
        }
        return b;
    }

    /// <summary>Decodes <see cref="Encode"/>; throws <see cref="PpgInputException"/> naming the patient when malformed.</summary>
    public static PpgSampleBatch Decode(string patient, ReadOnlySpan<byte> b)
    {
        if (b.Length < 6) throw new PpgInputException($"patient '{patient}': PPG window of {b.Length} bytes is shorter than its header");
        int ch = BinaryPrimitives.ReadUInt16LittleEndian(b), n = BinaryPrimitives.ReadInt32LittleEndian(b[2..]);
        if (n < 0 || ch is < 1 or > 3 || b.Length != 6 + (long)n * 8 + (ch + 3L) * n * 4)
            throw new PpgInputException($"patient '{patient}': PPG window header says {ch} channels × {n} samples, which does not match its {b.Length} bytes");
        int p = 6;
        var t = MemoryMarshal.Cast<byte, double>(b.Slice(p, n * 8)).ToArray(); p += n * 8;
        var series = new float[ch + 3][];
        for (int s = 0; s < series.Length; s++) { series[s] = MemoryMarshal.Cast<byte, float>(b.Slice(p, n * 4)).ToArray(); p += n * 4; }
        return new PpgSampleBatch(patient, t, series[..ch], series[ch], series[ch + 1], series[ch + 2]);
    }

    /// <summary>Output: error str16 | count u16 | per result: start f64 | end f64 | bpm f64 | confidence f64 | status u8.</summary>
    public static byte[] EncodeResults(IReadOnlyList<PpgWindowResult> results, string? error)
    {
        var e = System.Text.Encoding.UTF8.GetBytes(error ?? "");
        var b = new byte[2 + e.Length + 2 + results.Count * 33];
        BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)e.Length);
        e.CopyTo(b, 2);
        int p = 2 + e.Length;
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(p), (ushort)results.Count); p += 2;
        foreach (var r in results)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(p), r.WindowStartSeconds);
            BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(p + 8), r.WindowEndSeconds);
            BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(p + 16), r.Bpm);
            BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(p + 24), r.Confidence);
            b[p + 32] = (byte)r.Status;
            p += 33;
        }
        return b;
    }

    /// <summary>Reads <see cref="EncodeResults"/>: the error (empty when none) and (start, end, bpm, confidence, status) per window.</summary>
    public static (string Error, List<(double Start, double End, double Bpm, double Confidence, PpgStatus Status)> Windows) DecodeResults(ReadOnlySpan<byte> b)
    {
        int el = BinaryPrimitives.ReadUInt16LittleEndian(b);
        string error = System.Text.Encoding.UTF8.GetString(b.Slice(2, el));
        int p = 2 + el, n = BinaryPrimitives.ReadUInt16LittleEndian(b[p..]);
        p += 2;
        var list = new List<(double, double, double, double, PpgStatus)>(n);
        for (int i = 0; i < n; i++, p += 33)
            list.Add((BinaryPrimitives.ReadDoubleLittleEndian(b[p..]), BinaryPrimitives.ReadDoubleLittleEndian(b[(p + 8)..]),
                BinaryPrimitives.ReadDoubleLittleEndian(b[(p + 16)..]), BinaryPrimitives.ReadDoubleLittleEndian(b[(p + 24)..]), (PpgStatus)b[p + 32]));
        return (error, list);
    }
}

/// <summary>Creates <see cref="PpgShardFunction"/>s keeping <paramref name="replayWindows"/> windows for hand-off.</summary>
public sealed class PpgShardFunctionFactory(int replayWindows) : IPatientFunctionFactory
{
    /// <inheritdoc />
    public IPatientFunction Create(string patient, byte[]? snapshot) => new PpgShardFunction(patient, snapshot, replayWindows);
}
