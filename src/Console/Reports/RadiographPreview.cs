using OpenCvSharp;
using Vigil.BoneAge.Preprocessing;
using Vigil.Imaging;
using Vigil.Imaging.Dicom;
using Vigil.Imaging.Processing;

namespace Vigil.WardConsole.Reports;

/// <summary>
/// A radiograph for the screen: decoded by Vigil's Imaging room (DICOM Part 10, PNG, JPEG, recognised
/// by content), box-shrunk while decoding, windowed to 8 bits (the file's VOI window when it has one,
/// else its 0.5–99.5 % intensity range), MONOCHROME1 inverted, resized to at most
/// <see cref="DefaultLongSide"/> pixels on its long side and encoded as PNG.
/// </summary>
public static class RadiographPreview
{
    /// <summary>Long side of the preview, pixels.</summary>
    public const int DefaultLongSide = 512;

    // Larger images are refused rather than decoded (a 16k × 16k PNG is not a radiograph).
    private const long MaxPixels = 120_000_000;

    /// <summary>The PNG bytes of the preview of the file at <paramref name="path"/>; Imaging's exceptions name the file when it is not a readable image.</summary>
    public static byte[] Render(string path, int longSide = DefaultLongSide)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(longSide, 16);
        var radiograph = RadiographLoader.Load(path, MaxPixels, (w, h) => Math.Max(1, Math.Max(w, h) / longSide));
        var image = radiograph.Image;
        var (low, high) = radiograph.Window is { } window ? (window.Low, window.High) : IntensitySteps.Percentiles(image, 0.5, 99.5);
        if (!(high > low)) high = low + 1;
        var scale = Math.Min(1.0, (double)longSide / Math.Max(image.Width, image.Height));
        if (scale < 1) image = ImageOps.Resize(image, Math.Max(1, (int)Math.Round(image.Width * scale)), Math.Max(1, (int)Math.Round(image.Height * scale)));
        var invert = radiograph.Photometric == Photometric.Monochrome1;
        var bytes = new byte[image.Pixels.Length];
        var k = 255.0 / (high - low);
        for (var i = 0; i < bytes.Length; i++)
        {
            var v = Math.Clamp((image.Pixels[i] - low) * k, 0, 255);
            bytes[i] = (byte)Math.Round(invert ? 255 - v : v);
        }
        using var mat = Mat.FromPixelData(image.Height, image.Width, MatType.CV_8UC1, bytes);
        if (!Cv2.ImEncode(".png", mat, out var png)) throw new ImageFormatException($"{Path.GetFileName(path)}: the preview could not be encoded as PNG");
        return png;
    }

    /// <summary>Whether <paramref name="e"/> means the file is not a readable image (as opposed to a bug).</summary>
    public static bool IsBadImage(Exception e) => e is ImageFormatException or DicomFormatException or InvalidDataException or OpenCVException;
}
