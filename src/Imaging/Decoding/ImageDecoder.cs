using OpenCvSharp;

namespace Vigil.Imaging.Decoding;

/// <summary>
/// Decodes PNG and JPEG files (8 or 16 bits, grey, colour, palette, with or without alpha) through
/// OpenCV (<see cref="Cv2.ImDecode(byte[], ImreadModes)"/> with <see cref="ImreadModes.Unchanged"/>,
/// so 16-bit samples stay 16-bit) into float grey images. Colour becomes grey with the BT.601 luma
/// weights in float (OpenCV's own grey conversion rounds to integers); alpha is ignored. The header
/// is read first, so an image over the pixel limit is refused before any pixel is allocated.
/// </summary>
/// <remarks>
/// OpenCV holds the decoded image at its stored depth in native memory (width × height × bytes per
/// sample: 40 MB for a 4000×5000 16-bit radiograph) and releases it before returning; the float
/// image is built row by row through <see cref="ShrinkingImageWriter"/>, so with a reduction factor
/// the full-size image never exists as floats, and the pixels equal those of
/// <see cref="GrayImage.ShrinkBy"/> applied to the full decode.
/// </remarks>
public static class ImageDecoder
{
    /// <summary>
    /// Decodes <paramref name="data"/> (a whole PNG or JPEG file) named <paramref name="name"/>;
    /// refuses images over <paramref name="maxPixels"/>; box-shrinks by the factor
    /// <paramref name="reduction"/> chooses (none when null). Every failure is an
    /// <see cref="ImageFormatException"/> whose message starts with the name.
    /// </summary>
    public static Radiograph Decode(byte[] data, string name, long maxPixels = long.MaxValue, DecodeReduction? reduction = null)
    {
        var header = ImageHeader.Read(data, name);
        var pixels = (long)header.Width * header.Height;
        if (pixels > maxPixels)
            throw new ImageFormatException($"{name}: image is {header.Width}x{header.Height} = {pixels} pixels, over the limit of {maxPixels}");
        using var mat = DecodeMat(data, name, header);
        var factor = reduction?.Invoke(mat.Width, mat.Height) ?? 1;
        var writer = new ShrinkingImageWriter(mat.Width, mat.Height, factor);
        var layout = MatRows.Of(mat);
        var row = new float[layout.Width];
        for (var y = 0; y < layout.Height; y++)
        {
            layout.ReadGrey(y, row);
            writer.Add(row);
        }
        return new Radiograph
        {
            Image = writer.Build(),
            Reduction = writer.Factor,
            BitsStored = layout.Wide ? 16 : 8,
            Format = header.Format == "JPEG" ? $"JPEG {header.BitsPerSample}-bit" : "PNG",
        };
    }

    /// <summary>
    /// Decodes <paramref name="data"/> with OpenCV at its stored depth and channels; the caller
    /// disposes the result. Refuses sample types other than 8- and 16-bit unsigned.
    /// </summary>
    public static Mat DecodeMat(byte[] data, string name) => DecodeMat(data, name, ImageHeader.Read(data, name));

    private static Mat DecodeMat(byte[] data, string name, ImageHeader header)
    {
        Mat mat;
        try
        {
            mat = Cv2.ImDecode(data, ImreadModes.Unchanged);
        }
        catch (OpenCVException e)
        {
            throw new ImageFormatException($"{name}: OpenCV could not decode the {header.Format} ({e.Message})", e);
        }
        if (mat.Empty())
        {
            mat.Dispose();
            throw new ImageFormatException($"{name}: {header.Format} image data is truncated or corrupt (OpenCV decoded nothing)");
        }
        if (mat.Width != header.Width || mat.Height != header.Height)
        {
            var (w, h) = (mat.Width, mat.Height);
            mat.Dispose();
            throw new ImageFormatException($"{name}: decoded {w}x{h} but the header says {header.Width}x{header.Height}");
        }
        if (mat.Depth() is not (MatType.CV_8U or MatType.CV_16U) || mat.Channels() is not (1 or 2 or 3 or 4))
        {
            var type = mat.Type().ToString();
            mat.Dispose();
            throw new ImageFormatException($"{name}: pixel type {type} is not supported (expected 8- or 16-bit grey or colour)");
        }
        return mat;
    }
}
