using System.Globalization;
using System.Text;

namespace Vigil.Imaging.Dicom;

/// <summary>
/// The top-level elements of a DICOM file (file meta and dataset) over the file's bytes, with typed
/// accessors for the attributes the bone-age scorer reads. Nested sequence content is skipped
/// during parsing and not kept.
/// </summary>
public sealed class DicomDataset
{
    private readonly Dictionary<uint, DicomElement> _elements;

    internal DicomDataset(string source, byte[] buffer, Dictionary<uint, DicomElement> elements,
        string transferSyntaxUid, IReadOnlyList<(int Offset, int Length)> fragments)
    {
        Source = source;
        Buffer = buffer;
        _elements = elements;
        TransferSyntaxUid = transferSyntaxUid;
        PixelFragments = fragments;
    }

    /// <summary>The file this dataset came from (for error messages).</summary>
    public string Source { get; }

    /// <summary>The bytes the element offsets refer to.</summary>
    internal byte[] Buffer { get; }

    /// <summary>The transfer syntax UID from the file meta group.</summary>
    public string TransferSyntaxUid { get; }

    /// <summary>Encapsulated pixel data fragments (excluding the basic offset table); empty when native.</summary>
    public IReadOnlyList<(int Offset, int Length)> PixelFragments { get; }

    /// <summary>True when the dataset holds <paramref name="tag"/>.</summary>
    public bool Contains(DicomTag tag) => _elements.ContainsKey(tag.Value);

    /// <summary>The element for <paramref name="tag"/>, or null when absent.</summary>
    public DicomElement? Find(DicomTag tag) => _elements.TryGetValue(tag.Value, out var e) ? e : null;

    /// <summary>The raw value bytes of <paramref name="tag"/> (empty when absent).</summary>
    public ReadOnlySpan<byte> GetBytes(DicomTag tag) =>
        _elements.TryGetValue(tag.Value, out var e) && e.Length > 0 ? Buffer.AsSpan(e.Offset, e.Length) : default;

    /// <summary>A string value with padding (spaces, NULs) trimmed; null when absent or empty.</summary>
    public string? GetString(DicomTag tag)
    {
        var bytes = GetBytes(tag);
        if (bytes.IsEmpty) return null;
        var s = Encoding.ASCII.GetString(bytes).Trim(' ', '\0');
        return s.Length == 0 ? null : s;
    }

    /// <summary>The first value of a multi-valued string (values split by a backslash).</summary>
    public string? GetFirstValue(DicomTag tag)
    {
        var s = GetString(tag);
        if (s is null) return null;
        var i = s.IndexOf('\\');
        var first = (i >= 0 ? s[..i] : s).Trim();
        return first.Length == 0 ? null : first;
    }

    /// <summary>An unsigned short (US) value; null when absent; a clear error when malformed.</summary>
    public ushort? GetUInt16(DicomTag tag)
    {
        var bytes = GetBytes(tag);
        if (bytes.IsEmpty) return null;
        if (bytes.Length < 2) throw new DicomFormatException($"{Source}: {tag} has {bytes.Length} byte(s), expected a 2-byte US value");
        return (ushort)(bytes[0] | bytes[1] << 8);
    }

    /// <summary>The first value of a decimal string (DS) or integer string (IS); null when absent.</summary>
    public double? GetNumber(DicomTag tag)
    {
        var s = GetFirstValue(tag);
        if (s is null) return null;
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
            throw new DicomFormatException($"{Source}: {tag} holds '{s}', which is not a number");
        return v;
    }
}
