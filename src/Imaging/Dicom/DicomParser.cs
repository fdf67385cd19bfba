using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Vigil.Imaging.Dicom;

/// <summary>
/// Parses a DICOM Part 10 file (PS3.10 section 7): the 128-byte preamble and "DICM", the file meta
/// group in explicit VR little endian, then the dataset in the transfer syntax the meta group
/// names. Sequences (defined or undefined length, items defined or undefined) are skipped;
/// encapsulated pixel data is split into fragments. Big endian is refused.
/// </summary>
internal sealed class DicomParser
{
    private const uint Undefined = 0xFFFFFFFF;
    private const int MaxDepth = 32;

    private readonly string _source;
    private byte[] _data;
    private readonly Dictionary<uint, DicomElement> _top = new();
    private readonly List<(int, int)> _fragments = new();

    private DicomParser(string source, byte[] data)
    {
        _source = source;
        _data = data;
    }

    /// <summary>Parses <paramref name="data"/> (the whole file) named <paramref name="source"/>.</summary>
    public static DicomDataset Parse(string source, byte[] data) => new DicomParser(source, data).Run();

    private DicomDataset Run()
    {
        if (_data.Length < 132 || _data[128] != 'D' || _data[129] != 'I' || _data[130] != 'C' || _data[131] != 'M')
            throw Fail("not a DICOM Part 10 file (no 'DICM' marker after the 128-byte preamble)");

        var pos = 132;
        // File meta group: explicit VR little endian whatever the dataset uses.
        while (pos + 8 <= _data.Length && BinaryPrimitives.ReadUInt16LittleEndian(_data.AsSpan(pos)) == 0x0002)
            pos = ReadElement(pos, _data.Length, explicitVr: true, depth: 0);

        var tsElement = _top.GetValueOrDefault(DicomTag.TransferSyntaxUid.Value);
        if (tsElement.Length <= 0)
            throw Fail("file meta group has no Transfer Syntax UID (0002,0010)");
        var ts = Encoding.ASCII.GetString(_data, tsElement.Offset, tsElement.Length).Trim(' ', '\0');
        var kind = TransferSyntax.Classify(ts);

        switch (kind)
        {
            case TransferSyntaxKind.ExplicitBig:
                throw Fail($"transfer syntax {ts} (explicit VR big endian, retired) is not supported; convert it with `dcmconv +te`");
            case TransferSyntaxKind.Unsupported:
                throw Fail($"transfer syntax {ts} is not supported (supported: implicit/explicit/deflated VR little endian, and JPEG, JPEG-LS, RLE, JPEG 2000 through external decoders)");
            case TransferSyntaxKind.DeflatedExplicitLittle:
                pos = Inflate(pos);
                break;
        }

        var explicitVr = kind != TransferSyntaxKind.ImplicitLittle;
        while (pos < _data.Length)
            pos = ReadElement(pos, _data.Length, explicitVr, depth: 0);

        return new DicomDataset(_source, _data, _top, ts, _fragments);
    }

    /// <summary>Replaces the deflated remainder of the buffer with its inflated bytes (same offsets before it).</summary>
    private int Inflate(int pos)
    {
        try
        {
            using var input = new MemoryStream(_data, pos, _data.Length - pos);
            using var deflate = new DeflateStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            output.Write(_data, 0, pos);
            deflate.CopyTo(output);
            _data = output.ToArray();
            return pos;
        }
        catch (InvalidDataException e)
        {
            throw Fail($"deflated dataset is corrupt: {e.Message}");
        }
    }

    /// <summary>Reads one element at <paramref name="pos"/>; returns the position after it.</summary>
    private int ReadElement(int pos, int end, bool explicitVr, int depth)
    {
        if (pos + 8 > end) throw Truncated(pos, "element header");
        var span = _data.AsSpan();
        var group = BinaryPrimitives.ReadUInt16LittleEndian(span[pos..]);
        var element = BinaryPrimitives.ReadUInt16LittleEndian(span[(pos + 2)..]);
        var tag = new DicomTag(group, element);
        string vr;
        uint length;
        int valuePos;
        if (group == 0xFFFE)
        {
            throw Fail($"unexpected {tag} at offset {pos} outside a sequence");
        }
        if (explicitVr)
        {
            var c0 = span[pos + 4];
            var c1 = span[pos + 5];
            if (c0 is < (byte)'A' or > (byte)'Z' || c1 is < (byte)'A' or > (byte)'Z')
                throw Fail($"invalid VR bytes 0x{c0:X2} 0x{c1:X2} for {tag} at offset {pos} (corrupt file or wrong transfer syntax)");
            vr = string.Create(2, (c0, c1), static (d, s) => { d[0] = (char)s.c0; d[1] = (char)s.c1; });
            if (HasLongLength(vr))
            {
                if (pos + 12 > end) throw Truncated(pos, $"{tag} header");
                length = BinaryPrimitives.ReadUInt32LittleEndian(span[(pos + 8)..]);
                valuePos = pos + 12;
            }
            else
            {
                length = BinaryPrimitives.ReadUInt16LittleEndian(span[(pos + 6)..]);
                valuePos = pos + 8;
            }
        }
        else
        {
            vr = "UN";
            length = BinaryPrimitives.ReadUInt32LittleEndian(span[(pos + 4)..]);
            valuePos = pos + 8;
        }

        if (length == Undefined)
        {
            if (tag == DicomTag.PixelData && depth == 0)
            {
                var next = ReadFragments(valuePos, end);
                _top[tag.Value] = new DicomElement(tag, vr, valuePos, -1);
                return next;
            }
            if (vr is "SQ" or "UN" || !explicitVr)
            {
                // An undefined-length UN is a sequence in implicit VR little endian (PS3.5 6.2.2).
                var nestedExplicit = explicitVr && vr == "SQ";
                return SkipSequence(valuePos, end, nestedExplicit, depth + 1, tag);
            }
            throw Fail($"{tag} (VR {vr}) at offset {pos} has an undefined length, which only sequences and pixel data may have");
        }

        if (length > (uint)(end - valuePos))
            throw Truncated(pos, $"value of {tag} ({length} bytes declared, {end - valuePos} left)");
        if (depth == 0)
            _top[tag.Value] = new DicomElement(tag, vr, valuePos, (int)length);
        return valuePos + (int)length;
    }

    private static bool HasLongLength(string vr) =>
        vr is "OB" or "OD" or "OF" or "OL" or "OV" or "OW" or "SQ" or "SV" or "UC" or "UN" or "UR" or "UT" or "UV";

    /// <summary>Skips an undefined-length sequence: items until the sequence delimitation item.</summary>
    private int SkipSequence(int pos, int end, bool explicitVr, int depth, DicomTag owner)
    {
        if (depth > MaxDepth) throw Fail($"sequences nested deeper than {MaxDepth} levels under {owner}");
        while (true)
        {
            var (tag, length, valuePos) = ReadItemHeader(pos, end, owner);
            if (tag == DicomTag.SequenceDelimitation) return valuePos;
            if (tag != DicomTag.Item)
                throw Fail($"expected an item in sequence {owner} at offset {pos}, found {tag}");
            if (length != Undefined)
            {
                if (length > (uint)(end - valuePos)) throw Truncated(pos, $"item of sequence {owner}");
                pos = valuePos + (int)length;
                continue;
            }
            pos = valuePos;
            while (true)
            {
                if (pos + 8 > end) throw Truncated(pos, $"item of sequence {owner} (no item delimitation)");
                if (ReadTag(pos) == DicomTag.ItemDelimitation) { pos += 8; break; }
                pos = ReadElement(pos, end, explicitVr, depth);
            }
        }
    }

    /// <summary>Reads the fragments of encapsulated pixel data (PS3.5 A.4).</summary>
    private int ReadFragments(int pos, int end)
    {
        var first = true;
        while (true)
        {
            var (tag, length, valuePos) = ReadItemHeader(pos, end, DicomTag.PixelData);
            if (tag == DicomTag.SequenceDelimitation) return valuePos;
            if (tag != DicomTag.Item || length == Undefined)
                throw Fail($"malformed encapsulated pixel data at offset {pos}: found {tag} with length {length:X8}");
            if (length > (uint)(end - valuePos)) throw Truncated(pos, "pixel data fragment");
            // The first item is the basic offset table, not image data.
            if (!first) _fragments.Add((valuePos, (int)length));
            first = false;
            pos = valuePos + (int)length;
        }
    }

    private (DicomTag Tag, uint Length, int ValuePos) ReadItemHeader(int pos, int end, DicomTag owner)
    {
        if (pos + 8 > end) throw Truncated(pos, $"sequence {owner} (no sequence delimitation)");
        return (ReadTag(pos), BinaryPrimitives.ReadUInt32LittleEndian(_data.AsSpan(pos + 4)), pos + 8);
    }

    private DicomTag ReadTag(int pos) => new(
        BinaryPrimitives.ReadUInt16LittleEndian(_data.AsSpan(pos)),
        BinaryPrimitives.ReadUInt16LittleEndian(_data.AsSpan(pos + 2)));

    private DicomFormatException Truncated(int pos, string what) =>
        Fail($"file is truncated: {what} at offset {pos} runs past the end of the file ({_data.Length} bytes)");

    private DicomFormatException Fail(string message) => new($"{_source}: {message}");
}
