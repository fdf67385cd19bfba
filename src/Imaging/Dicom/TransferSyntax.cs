namespace Vigil.Imaging.Dicom;

/// <summary>How a transfer syntax stores its dataset and pixel data, as far as this reader cares.</summary>
public enum TransferSyntaxKind
{
    /// <summary>Implicit VR little endian (1.2.840.10008.1.2).</summary>
    ImplicitLittle,
    /// <summary>Explicit VR little endian (1.2.840.10008.1.2.1).</summary>
    ExplicitLittle,
    /// <summary>Deflated explicit VR little endian (1.2.840.10008.1.2.1.99).</summary>
    DeflatedExplicitLittle,
    /// <summary>Explicit VR big endian (retired): refused.</summary>
    ExplicitBig,
    /// <summary>Encapsulated JPEG (baseline, extended, lossless): DCMTK <c>dcmdjpeg</c>.</summary>
    Jpeg,
    /// <summary>Encapsulated JPEG-LS: DCMTK <c>dcmdjpls</c>.</summary>
    JpegLs,
    /// <summary>Encapsulated RLE lossless: DCMTK <c>dcmdrle</c>.</summary>
    Rle,
    /// <summary>Encapsulated JPEG 2000: DCMTK has no free decoder for it; decoded through ffmpeg.</summary>
    Jpeg2000,
    /// <summary>Anything else (HTJ2K, MPEG, private syntaxes): refused.</summary>
    Unsupported,
}

/// <summary>Classifies transfer syntax UIDs (DICOM PS3.5 section 10 and PS3.6 annex A).</summary>
public static class TransferSyntax
{
    /// <summary>Implicit VR little endian: the default transfer syntax.</summary>
    public const string ImplicitVrLittleEndian = "1.2.840.10008.1.2";
    /// <summary>Explicit VR little endian.</summary>
    public const string ExplicitVrLittleEndian = "1.2.840.10008.1.2.1";
    /// <summary>Deflated explicit VR little endian.</summary>
    public const string DeflatedExplicitVrLittleEndian = "1.2.840.10008.1.2.1.99";
    /// <summary>Explicit VR big endian (retired).</summary>
    public const string ExplicitVrBigEndian = "1.2.840.10008.1.2.2";
    /// <summary>RLE lossless.</summary>
    public const string RleLossless = "1.2.840.10008.1.2.5";

    /// <summary>Returns how <paramref name="uid"/> encodes its data.</summary>
    public static TransferSyntaxKind Classify(string uid) => uid switch
    {
        ImplicitVrLittleEndian => TransferSyntaxKind.ImplicitLittle,
        ExplicitVrLittleEndian => TransferSyntaxKind.ExplicitLittle,
        DeflatedExplicitVrLittleEndian => TransferSyntaxKind.DeflatedExplicitLittle,
        ExplicitVrBigEndian => TransferSyntaxKind.ExplicitBig,
        RleLossless => TransferSyntaxKind.Rle,
        // JPEG baseline (.50), extended (.51), lossless non-hierarchical (.57), lossless SV1 (.70).
        "1.2.840.10008.1.2.4.50" or "1.2.840.10008.1.2.4.51" or "1.2.840.10008.1.2.4.57"
            or "1.2.840.10008.1.2.4.70" => TransferSyntaxKind.Jpeg,
        "1.2.840.10008.1.2.4.80" or "1.2.840.10008.1.2.4.81" => TransferSyntaxKind.JpegLs,
        "1.2.840.10008.1.2.4.90" or "1.2.840.10008.1.2.4.91" => TransferSyntaxKind.Jpeg2000,
        _ => TransferSyntaxKind.Unsupported,
    };

    /// <summary>True when the pixel data of this kind is encapsulated (compressed fragments).</summary>
    public static bool IsEncapsulated(TransferSyntaxKind kind) =>
        kind is TransferSyntaxKind.Jpeg or TransferSyntaxKind.JpegLs or TransferSyntaxKind.Rle or TransferSyntaxKind.Jpeg2000;
}
