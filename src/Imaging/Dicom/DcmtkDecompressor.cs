using Vigil.Imaging;

namespace Vigil.Imaging.Dicom;

/// <summary>
/// Decompresses encapsulated DICOM through DCMTK (Debian package <c>dcmtk</c>): <c>dcmdjpeg</c> for
/// JPEG, <c>dcmdjpls</c> for JPEG-LS, <c>dcmdrle</c> for RLE. The tool writes an explicit VR little
/// endian copy to a temporary file, which is read back and deleted. When the tool is absent the
/// file is refused with an error that says how to install it.
/// </summary>
internal static class DcmtkDecompressor
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    /// <summary>The DCMTK tool that decodes <paramref name="kind"/>, or null when DCMTK has none.</summary>
    public static string? ToolFor(TransferSyntaxKind kind) => kind switch
    {
        TransferSyntaxKind.Jpeg => "dcmdjpeg",
        TransferSyntaxKind.JpegLs => "dcmdjpls",
        TransferSyntaxKind.Rle => "dcmdrle",
        _ => null,
    };

    /// <summary>Returns the bytes of an uncompressed (explicit VR LE) copy of the file at <paramref name="path"/>.</summary>
    public static byte[] Decompress(string path, string displayName, TransferSyntaxKind kind, string transferSyntaxUid)
    {
        var tool = ToolFor(kind)
            ?? throw new DicomFormatException($"{displayName}: transfer syntax {transferSyntaxUid} ({kind}) has no DCMTK decoder");
        var exe = ExternalTool.Find(tool)
            ?? throw new DicomFormatException(
                $"{displayName}: pixel data is compressed ({kind}, {transferSyntaxUid}) and the DCMTK tool '{tool}' is not installed; run `scripts/setup apt` (Debian package dcmtk)");
        var temp = Path.Combine(Path.GetTempPath(), $"vigil-dcm-{Guid.NewGuid():N}.dcm");
        try
        {
            ExternalTool.Run(exe, [path, temp], Timeout);
            return File.ReadAllBytes(temp);
        }
        catch (IOException e)
        {
            throw new DicomFormatException($"{displayName}: {tool} could not decompress the pixel data: {e.Message}", e);
        }
        finally
        {
            try { File.Delete(temp); } catch (IOException) { }
        }
    }
}
