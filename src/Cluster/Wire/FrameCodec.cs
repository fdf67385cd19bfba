using Vigil.Models.Tensors;
using System.Buffers.Binary;
using System.Text;

namespace Vigil.Cluster.Wire;

/// <summary>
/// The binary encoding of broker message bodies: a frame carries one or more requests, or one or
/// more results. Little-endian throughout, no JSON. Layout (docs/cluster.md has the table):
/// <code>
/// frame   := magic u32 'VGL1' | kind u8 (1 requests, 2 results) | version u8 (1) | count u16 | item*count
/// request := id 16B | deadline i64 (unix ms) | priority u8 | str8 model | str8 version | str16 identity | tensors
/// result  := id 16B | status u8 | str8 model | str8 version | str8 sha256 | str8 node | str16 identity | str16 error | tensors
/// tensors := count u8 | (str8 name | dtype u8 | rank u8 | dim i32*rank | bytes u32 | raw bytes)*count
/// str8/str16 := length u8/u16 then UTF-8 bytes
/// </code>
/// </summary>
public static class FrameCodec
{
    /// <summary>Frame magic, "VGL1" in ASCII read little-endian.</summary>
    public const uint Magic = 0x314C4756;
    private const byte Version = 1;
    /// <summary>Frame kind: requests.</summary>
    public const byte RequestKind = 1;
    /// <summary>Frame kind: results.</summary>
    public const byte ResultKind = 2;
    private const int HeaderSize = 8;

    /// <summary>Most items in one frame.</summary>
    public const int MaxItems = ushort.MaxValue;

    /// <summary>Encoded size of one request (to pack frames up to a byte budget).</summary>
    public static int SizeOf(InferenceRequest r) =>
        16 + 8 + 1 + Str8(r.ModelId) + Str8(r.ModelVersion) + Str16(r.InputIdentity) + TensorsSize(r.Inputs);

    /// <summary>Encoded size of one result.</summary>
    public static int SizeOf(InferenceResult r) =>
        16 + 1 + Str8(r.ModelId) + Str8(r.ModelVersion) + Str8(r.ModelSha256) + Str8(r.Node) + Str16(r.InputIdentity) + Str16(r.Error) + TensorsSize(r.Outputs);

    /// <summary>Encodes requests into one frame.</summary>
    public static byte[] EncodeRequests(IReadOnlyList<InferenceRequest> requests)
    {
        CheckCount(requests.Count);
        int size = HeaderSize;
        foreach (var r in requests) size += SizeOf(r);
        var buf = new byte[size];
        var w = new Writer(buf);
        WriteHeader(ref w, RequestKind, requests.Count);
        foreach (var r in requests)
        {
            w.Guid(r.Id);
            w.I64(r.Deadline.ToUnixTimeMilliseconds());
            w.U8(r.Priority);
            w.Str8(r.ModelId); w.Str8(r.ModelVersion); w.Str16(r.InputIdentity);
            w.Tensors(r.Inputs);
        }
        return buf;
    }

    /// <summary>Encodes results into one frame.</summary>
    public static byte[] EncodeResults(IReadOnlyList<InferenceResult> results)
    {
        CheckCount(results.Count);
        int size = HeaderSize;
        foreach (var r in results) size += SizeOf(r);
        var buf = new byte[size];
        var w = new Writer(buf);
        WriteHeader(ref w, ResultKind, results.Count);
        foreach (var r in results)
        {
            w.Guid(r.RequestId);
            w.U8((byte)r.Status);
            w.Str8(r.ModelId); w.Str8(r.ModelVersion); w.Str8(r.ModelSha256); w.Str8(r.Node);
            w.Str16(r.InputIdentity); w.Str16(r.Error);
            w.Tensors(r.Outputs);
        }
        return buf;
    }

    /// <summary>Decodes a request frame (tensor bytes are copied out of <paramref name="body"/>).</summary>
    public static List<InferenceRequest> DecodeRequests(ReadOnlySpan<byte> body)
    {
        var r = new Reader(body);
        int count = ReadHeader(ref r, RequestKind);
        var list = new List<InferenceRequest>(count);
        for (int i = 0; i < count; i++)
        {
            var id = r.Guid();
            var deadline = DateTimeOffset.FromUnixTimeMilliseconds(r.I64());
            byte priority = r.U8();
            string model = r.Str8(), version = r.Str8(), identity = r.Str16();
            list.Add(new InferenceRequest(id, model, version, r.Tensors(), deadline, priority, identity));
        }
        r.End();
        return list;
    }

    /// <summary>Decodes a result frame.</summary>
    public static List<InferenceResult> DecodeResults(ReadOnlySpan<byte> body)
    {
        var r = new Reader(body);
        int count = ReadHeader(ref r, ResultKind);
        var list = new List<InferenceResult>(count);
        for (int i = 0; i < count; i++)
        {
            var id = r.Guid();
            byte status = r.U8();
            if (status > (byte)InferenceStatus.DeadlineExceeded) throw r.Fail($"unknown result status {status}");
            string model = r.Str8(), version = r.Str8(), sha = r.Str8(), node = r.Str8(), identity = r.Str16(), error = r.Str16();
            list.Add(new InferenceResult(id, (InferenceStatus)status, model, version, sha, node, identity, error, r.Tensors()));
        }
        r.End();
        return list;
    }

    private static void CheckCount(int count)
    {
        if (count is < 1 or > MaxItems) throw new ArgumentOutOfRangeException(nameof(count), count, $"a frame carries 1..{MaxItems} items");
    }

    private static void WriteHeader(ref Writer w, byte kind, int count)
    {
        w.U32(Magic); w.U8(kind); w.U8(Version); w.U16((ushort)count);
    }

    private static int ReadHeader(ref Reader r, byte kind)
    {
        if (r.Remaining < HeaderSize) throw r.Fail($"frame of {r.Remaining} bytes is shorter than the {HeaderSize}-byte header");
        if (r.U32() != Magic) throw r.Fail("not a Vigil frame (bad magic)");
        byte k = r.U8();
        if (k != kind) throw r.Fail($"expected a {(kind == RequestKind ? "request" : "result")} frame, got kind {k}");
        byte v = r.U8();
        if (v != Version) throw r.Fail($"unsupported frame version {v}");
        int count = r.U16();
        if (count == 0) throw r.Fail("frame carries no items");
        return count;
    }

    private static int Str8(string s) => 1 + Utf8Length(s, 255);
    private static int Str16(string s) => 2 + Utf8Length(s, ushort.MaxValue);

    private static int Utf8Length(string s, int max)
    {
        int n = Encoding.UTF8.GetByteCount(s);
        if (n > max) throw new ArgumentException($"string of {n} UTF-8 bytes exceeds {max}: '{s[..Math.Min(s.Length, 40)]}...'");
        return n;
    }

    private static int TensorsSize(IReadOnlyList<WireTensor> tensors)
    {
        if (tensors.Count > 255) throw new ArgumentException($"{tensors.Count} tensors; at most 255 per request");
        int size = 1;
        foreach (var t in tensors) size += Str8(t.Name) + 2 + 4 * t.Shape.Count + 4 + t.Data.Length;
        return size;
    }

    private ref struct Writer(Span<byte> buffer)
    {
        private readonly Span<byte> _b = buffer;
        private int _p;

        public void U8(byte v) => _b[_p++] = v;
        public void U16(ushort v) { BinaryPrimitives.WriteUInt16LittleEndian(_b[_p..], v); _p += 2; }
        public void U32(uint v) { BinaryPrimitives.WriteUInt32LittleEndian(_b[_p..], v); _p += 4; }
        public void I32(int v) { BinaryPrimitives.WriteInt32LittleEndian(_b[_p..], v); _p += 4; }
        public void I64(long v) { BinaryPrimitives.WriteInt64LittleEndian(_b[_p..], v); _p += 8; }
        public void Guid(Guid g) { g.TryWriteBytes(_b.Slice(_p, 16)); _p += 16; }
        public void Str8(string s) { int n = Encoding.UTF8.GetBytes(s, _b[(_p + 1)..]); U8((byte)n); _p += n; }
        public void Str16(string s) { int n = Encoding.UTF8.GetBytes(s, _b[(_p + 2)..]); U16((ushort)n); _p += n; }

        public void Tensors(IReadOnlyList<WireTensor> tensors)
        {
            U8((byte)tensors.Count);
            foreach (var t in tensors)
            {
                Str8(t.Name); U8((byte)t.DataType); U8((byte)t.Shape.Count);
                foreach (var d in t.Shape) I32(d);
                U32((uint)t.Data.Length);
                t.Data.Span.CopyTo(_b[_p..]); _p += t.Data.Length;
            }
        }
    }

    private ref struct Reader(ReadOnlySpan<byte> buffer)
    {
        private readonly ReadOnlySpan<byte> _b = buffer;
        private int _p;

        public readonly int Remaining => _b.Length - _p;
        public readonly FrameFormatException Fail(string why) => new($"malformed frame at byte {_p} of {_b.Length}: {why}");

        private readonly void Need(int n) { if (_b.Length - _p < n) throw Fail($"needs {n} more bytes, {Remaining} left"); }
        public byte U8() { Need(1); return _b[_p++]; }
        public ushort U16() { Need(2); var v = BinaryPrimitives.ReadUInt16LittleEndian(_b[_p..]); _p += 2; return v; }
        public uint U32() { Need(4); var v = BinaryPrimitives.ReadUInt32LittleEndian(_b[_p..]); _p += 4; return v; }
        public int I32() { Need(4); var v = BinaryPrimitives.ReadInt32LittleEndian(_b[_p..]); _p += 4; return v; }
        public long I64() { Need(8); var v = BinaryPrimitives.ReadInt64LittleEndian(_b[_p..]); _p += 8; return v; }
        public Guid Guid() { Need(16); var g = new Guid(_b.Slice(_p, 16)); _p += 16; return g; }
        public string Str8() { int n = U8(); Need(n); var s = Encoding.UTF8.GetString(_b.Slice(_p, n)); _p += n; return s; }
        public string Str16() { int n = U16(); Need(n); var s = Encoding.UTF8.GetString(_b.Slice(_p, n)); _p += n; return s; }

        public List<WireTensor> Tensors()
        {
            int count = U8();
            var list = new List<WireTensor>(count);
            for (int i = 0; i < count; i++)
            {
                string name = Str8();
                byte dtype = U8();
                if (TensorElementTypes.SizeOf((TensorElementType)dtype) == 0) throw Fail($"tensor '{name}' has unknown or unsupported element type {dtype}");
                int rank = U8();
                var shape = new int[rank];
                for (int d = 0; d < rank; d++) shape[d] = I32();
                long length = U32();
                Need((int)Math.Min(length, int.MaxValue));
                var data = _b.Slice(_p, (int)length).ToArray();
                _p += (int)length;
                try { list.Add(new WireTensor(name, (TensorElementType)dtype, shape, data)); }
                catch (ArgumentException e) { throw Fail(e.Message); }
            }
            return list;
        }

        public readonly void End() { if (_p != _b.Length) throw Fail($"{Remaining} trailing bytes after the last item"); }
    }
}
