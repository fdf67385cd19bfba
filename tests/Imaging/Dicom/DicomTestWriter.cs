using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Vigil.Imaging.Dicom;

namespace Vigil.Imaging.Tests.Dicom;

/// <summary>
/// Writes small DICOM Part 10 files for tests: preamble, "DICM", an explicit VR LE meta group, then
/// the dataset in implicit, explicit or deflated explicit VR little endian. Elements are written in
/// the order added (callers add them in ascending tag order, as the standard requires).
/// </summary>
internal sealed class DicomTestWriter
{
    private readonly List<(DicomTag Tag, string Vr, byte[] Raw)> _elements = new();

    public DicomTestWriter(string transferSyntax = TransferSyntax.ExplicitVrLittleEndian) => TransferSyntaxUid = transferSyntax;

    public string TransferSyntaxUid { get; set; }

    private bool ExplicitVr => TransferSyntaxUid != TransferSyntax.ImplicitVrLittleEndian;

    public DicomTestWriter Add(DicomTag tag, string vr, byte[] value)
    {
        _elements.Add((tag, vr, value));
        return this;
    }

    public DicomTestWriter String(DicomTag tag, string vr, string value)
    {
        var bytes = Encoding.ASCII.GetBytes(value);
        if (bytes.Length % 2 == 1) bytes = [.. bytes, (byte)(vr == "UI" ? 0 : ' ')];
        return Add(tag, vr, bytes);
    }

    public DicomTestWriter UShort(DicomTag tag, ushort value) => Add(tag, "US", [(byte)value, (byte)(value >> 8)]);

    /// <summary>Adds a pre-encoded element (a sequence, say) verbatim.</summary>
    public DicomTestWriter Raw(byte[] encoded)
    {
        _elements.Add((default, "", encoded));
        return this;
    }

    /// <summary>Adds the usual image attributes and 16-bit (or 8-bit) pixel data.</summary>
    public DicomTestWriter Image(int cols, int rows, int bitsAllocated, int bitsStored, int highBit, bool signed,
        string photometric, byte[] pixelData)
    {
        UShort(DicomTag.SamplesPerPixel, 1);
        String(DicomTag.PhotometricInterpretation, "CS", photometric);
        UShort(DicomTag.Rows, (ushort)rows);
        UShort(DicomTag.Columns, (ushort)cols);
        UShort(DicomTag.BitsAllocated, (ushort)bitsAllocated);
        UShort(DicomTag.BitsStored, (ushort)bitsStored);
        UShort(DicomTag.HighBit, (ushort)highBit);
        UShort(DicomTag.PixelRepresentation, (ushort)(signed ? 1 : 0));
        return this;
    }

    public DicomTestWriter PixelData(byte[] pixelData, string vr = "OW") => Add(DicomTag.PixelData, vr, Pad(pixelData));

    public byte[] Build()
    {
        var meta = new MemoryStream();
        WriteExplicit(meta, new DicomTag(0x0002, 0x0001), "OB", [0, 1]);
        WriteExplicit(meta, new DicomTag(0x0002, 0x0002), "UI", Uid("1.2.840.10008.5.1.4.1.1.1.1"));
        WriteExplicit(meta, new DicomTag(0x0002, 0x0003), "UI", Uid("1.2.3.4.5"));
        WriteExplicit(meta, DicomTag.TransferSyntaxUid, "UI", Uid(TransferSyntaxUid));
        var body = new MemoryStream();
        foreach (var (tag, vr, raw) in _elements)
        {
            if (vr.Length == 0) body.Write(raw);
            else if (ExplicitVr) WriteExplicit(body, tag, vr, raw);
            else WriteImplicit(body, tag, raw);
        }
        var file = new MemoryStream();
        file.Write(new byte[128]);
        file.Write("DICM"u8);
        var groupLength = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(groupLength, (uint)meta.Length);
        WriteExplicit(file, new DicomTag(0x0002, 0x0000), "UL", groupLength);
        meta.Position = 0;
        meta.CopyTo(file);
        if (TransferSyntaxUid == TransferSyntax.DeflatedExplicitVrLittleEndian)
        {
            using var deflate = new DeflateStream(file, CompressionLevel.Optimal, leaveOpen: true);
            deflate.Write(body.ToArray());
        }
        else
        {
            body.Position = 0;
            body.CopyTo(file);
        }
        return file.ToArray();
    }

    public string Save(string dir, string name)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllBytes(path, Build());
        return path;
    }

    public static byte[] Uid(string uid) => Pad(Encoding.ASCII.GetBytes(uid));

    public static byte[] Pad(byte[] b) => b.Length % 2 == 0 ? b : [.. b, 0];

    public static void WriteExplicit(Stream s, DicomTag tag, string vr, byte[] value, bool undefinedLength = false)
    {
        Span<byte> h = stackalloc byte[12];
        BinaryPrimitives.WriteUInt16LittleEndian(h, tag.Group);
        BinaryPrimitives.WriteUInt16LittleEndian(h[2..], tag.Element);
        h[4] = (byte)vr[0];
        h[5] = (byte)vr[1];
        var len = undefinedLength ? 0xFFFFFFFF : (uint)value.Length;
        if (vr is "OB" or "OD" or "OF" or "OL" or "OV" or "OW" or "SQ" or "SV" or "UC" or "UN" or "UR" or "UT" or "UV")
        {
            h[6] = h[7] = 0;
            BinaryPrimitives.WriteUInt32LittleEndian(h[8..], len);
            s.Write(h);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(h[6..], (ushort)value.Length);
            s.Write(h[..8]);
        }
        s.Write(value);
    }

    public static void WriteImplicit(Stream s, DicomTag tag, byte[] value, bool undefinedLength = false)
    {
        Span<byte> h = stackalloc byte[8];
        BinaryPrimitives.WriteUInt16LittleEndian(h, tag.Group);
        BinaryPrimitives.WriteUInt16LittleEndian(h[2..], tag.Element);
        BinaryPrimitives.WriteUInt32LittleEndian(h[4..], undefinedLength ? 0xFFFFFFFF : (uint)value.Length);
        s.Write(h);
        s.Write(value);
    }

    /// <summary>An item or delimiter header: tag (FFFE,xxxx) and a 4-byte length.</summary>
    public static byte[] ItemHeader(DicomTag tag, uint length)
    {
        var h = new byte[8];
        BinaryPrimitives.WriteUInt16LittleEndian(h, tag.Group);
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(2), tag.Element);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(4), length);
        return h;
    }

    /// <summary>
    /// Encodes a sequence element (SQ) holding the given items; each item's content is itself a list
    /// of encoded elements. Lengths are defined or undefined as asked, at both levels.
    /// </summary>
    public static byte[] Sequence(DicomTag tag, bool explicitVr, bool undefinedLength, bool undefinedItems, params byte[][] items)
    {
        var content = new MemoryStream();
        foreach (var item in items)
        {
            if (undefinedItems)
            {
                content.Write(ItemHeader(DicomTag.Item, 0xFFFFFFFF));
                content.Write(item);
                content.Write(ItemHeader(DicomTag.ItemDelimitation, 0));
            }
            else
            {
                content.Write(ItemHeader(DicomTag.Item, (uint)item.Length));
                content.Write(item);
            }
        }
        if (undefinedLength) content.Write(ItemHeader(DicomTag.SequenceDelimitation, 0));
        var s = new MemoryStream();
        if (explicitVr) WriteExplicit(s, tag, "SQ", content.ToArray(), undefinedLength);
        else WriteImplicit(s, tag, content.ToArray(), undefinedLength);
        return s.ToArray();
    }

    /// <summary>One encoded element, for building item contents.</summary>
    public static byte[] Element(DicomTag tag, string vr, string value, bool explicitVr)
    {
        var s = new MemoryStream();
        var bytes = Pad(Encoding.ASCII.GetBytes(value));
        if (explicitVr) WriteExplicit(s, tag, vr, bytes); else WriteImplicit(s, tag, bytes);
        return s.ToArray();
    }

    public static byte[] U16(IEnumerable<int> values)
    {
        var list = values.ToList();
        var b = new byte[list.Count * 2];
        for (var i = 0; i < list.Count; i++) BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(2 * i), (ushort)list[i]);
        return b;
    }
}
