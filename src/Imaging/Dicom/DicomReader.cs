using Vigil.Imaging;

namespace Vigil.Imaging.Dicom;

/// <summary>
/// Reads DICOM Part 10 radiographs into <see cref="Radiograph"/>s with Vigil's own parser:
/// implicit, explicit and deflated VR little endian natively; JPEG, JPEG-LS and RLE through DCMTK.
/// Every failure is a <see cref="DicomFormatException"/> naming the file and the problem.
/// </summary>
public static class DicomReader
{
    /// <summary>True when <paramref name="header"/> (the first 132 bytes or more) carries the Part 10 "DICM" marker.</summary>
    public static bool HasPart10Marker(ReadOnlySpan<byte> header) =>
        header.Length >= 132 && header[128] == 'D' && header[129] == 'I' && header[130] == 'C' && header[131] == 'M';

    /// <summary>Reads the file at <paramref name="path"/>; refuses images over <paramref name="maxPixels"/>.</summary>
    public static Radiograph Read(string path, long maxPixels = long.MaxValue) =>
        Read(File.ReadAllBytes(path), path, maxPixels);

    /// <summary>
    /// Reads a file already in memory; <paramref name="path"/> names it and is handed to DCMTK when
    /// compressed. <paramref name="reduction"/>, when given, chooses a box-shrink factor applied
    /// while decoding.
    /// </summary>
    public static Radiograph Read(byte[] bytes, string path, long maxPixels = long.MaxValue, DecodeReduction? reduction = null)
    {
        var name = Path.GetFileName(path);
        var ds = DicomParser.Parse(name, bytes);
        var kind = TransferSyntax.Classify(ds.TransferSyntaxUid);
        if (TransferSyntax.IsEncapsulated(kind))
        {
            // Refuse oversized images before paying for decompression.
            if (ds.GetUInt16(DicomTag.Rows) is { } r && ds.GetUInt16(DicomTag.Columns) is { } c && (long)r * c > maxPixels)
                throw new DicomFormatException($"{name}: image is {c}x{r} = {(long)r * c} pixels, over the limit of {maxPixels}");
            if (kind == TransferSyntaxKind.Jpeg2000)
                throw new DicomFormatException(
                    $"{name}: pixel data is JPEG 2000 ({ds.TransferSyntaxUid}), which the installed DCMTK cannot decode; convert the file to an uncompressed syntax first");
            var decoded = DcmtkDecompressor.Decompress(path, name, kind, ds.TransferSyntaxUid);
            var plain = DicomParser.Parse(name, decoded);
            if (TransferSyntax.IsEncapsulated(TransferSyntax.Classify(plain.TransferSyntaxUid)))
                throw new DicomFormatException($"{name}: DCMTK left the pixel data compressed ({plain.TransferSyntaxUid})");
            var image = DicomPixelDecoder.Decode(plain, maxPixels, reduction);
            return image with { Format = "DICOM " + ds.TransferSyntaxUid };
        }
        return DicomPixelDecoder.Decode(ds, maxPixels, reduction);
    }
}
