using Vigil.Imaging.Decoding;
using Vigil.Imaging.Dicom;

namespace Vigil.Imaging;

/// <summary>
/// Loads a radiograph from DICOM Part 10 (Vigil's reader), PNG (Vigil's decoder, which beats
/// OpenCV's decode + shrink on radiographs: <c>vigil boneage bench</c>) or JPEG (OpenCV), recognised by
/// content (not by extension). Every failure is an <see cref="ImageFormatException"/> or
/// <see cref="DicomFormatException"/> whose message names the file and what is wrong.
/// </summary>
public static class RadiographLoader
{
    /// <summary>
    /// Decodes <paramref name="data"/>, the bytes of the file at <paramref name="path"/>, box-shrinking
    /// while decoding by the factor <paramref name="reduction"/> chooses.
    /// </summary>
    public static Radiograph Decode(byte[] data, string path, long maxPixels, DecodeReduction? reduction = null)
    {
        var name = Path.GetFileName(path);
        if (data.Length == 0) throw new ImageFormatException($"{name}: file is empty");
        if (DicomReader.HasPart10Marker(data)) return DicomReader.Read(data, path, maxPixels, reduction);
        if (ImageHeader.IsPng(data)) return PngDecoder.Decode(data, name, maxPixels, reduction);
        if (ImageHeader.IsJpeg(data)) return ImageDecoder.Decode(data, name, maxPixels, reduction);
        throw new ImageFormatException($"{name}: not a recognised image (expected DICOM Part 10, PNG or JPEG)");
    }

    /// <summary>Reads and decodes the file at <paramref name="path"/> (see <see cref="Decode"/>).</summary>
    public static Radiograph Load(string path, long maxPixels = long.MaxValue, DecodeReduction? reduction = null) =>
        Decode(File.ReadAllBytes(path), path, maxPixels, reduction);
}
