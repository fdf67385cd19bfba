using OpenCvSharp;

namespace Vigil.Imaging.Processing;

/// <summary>
/// Geometry and colour on OpenCV, shared by bone age, video and infrared: resize, crop, affine
/// warp, colour to grey. The <see cref="GrayImage"/> overloads copy in and out of OpenCV; the
/// <see cref="Mat"/> ones return new Mats the caller disposes.
/// </summary>
public static class ImageOps
{
    /// <summary>
    /// Resizes <paramref name="image"/> to <paramref name="width"/>×<paramref name="height"/>;
    /// <see cref="InterpolationFlags.Area"/> (the default) averages the covered source pixels, the
    /// right choice for shrinking.
    /// </summary>
    public static GrayImage Resize(GrayImage image, int width, int height, InterpolationFlags interpolation = InterpolationFlags.Area)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"target size {width}x{height} is empty");
        using var src = image.ToMat();
        using var dst = Resize(src, width, height, interpolation);
        return dst.ToGrayImage();
    }

    /// <summary>Resizes <paramref name="src"/> (any type) to <paramref name="width"/>×<paramref name="height"/>.</summary>
    public static Mat Resize(Mat src, int width, int height, InterpolationFlags interpolation = InterpolationFlags.Area)
    {
        var dst = new Mat();
        Cv2.Resize(src, dst, new OpenCvSharp.Size(width, height), 0, 0, interpolation);
        return dst;
    }

    /// <summary>The <paramref name="width"/>×<paramref name="height"/> region at (<paramref name="x"/>, <paramref name="y"/>); it must lie inside the image.</summary>
    public static GrayImage Crop(GrayImage image, int x, int y, int width, int height)
    {
        if (x < 0 || y < 0 || width <= 0 || height <= 0 || x + width > image.Width || y + height > image.Height)
            throw new ArgumentOutOfRangeException(nameof(x), $"crop {width}x{height}+{x}+{y} is not inside the {image.Width}x{image.Height} image");
        using var src = image.ToMat();
        using var roi = new Mat(src, new Rect(x, y, width, height));
        return roi.ToGrayImage();
    }

    /// <summary>A copy of the region <paramref name="rect"/> of <paramref name="src"/> (clipped to the image).</summary>
    public static Mat Crop(Mat src, Rect rect)
    {
        var clipped = rect.Intersect(new Rect(0, 0, src.Width, src.Height));
        if (clipped.Width <= 0 || clipped.Height <= 0)
            throw new ArgumentOutOfRangeException(nameof(rect), $"crop {rect} does not overlap the {src.Width}x{src.Height} image");
        using var roi = new Mat(src, clipped);
        return roi.Clone();
    }

    /// <summary>
    /// Warps <paramref name="image"/> by the 2×3 affine <paramref name="matrix"/> (row-major:
    /// x' = m0·x + m1·y + m2, y' = m3·x + m4·y + m5, source to destination) into a
    /// <paramref name="width"/>×<paramref name="height"/> image; outside pixels get <paramref name="border"/>.
    /// </summary>
    public static GrayImage WarpAffine(GrayImage image, ReadOnlySpan<double> matrix, int width, int height,
        float border = 0, InterpolationFlags interpolation = InterpolationFlags.Linear)
    {
        using var src = image.ToMat();
        using var dst = WarpAffine(src, matrix, width, height, border, interpolation);
        return dst.ToGrayImage();
    }

    /// <summary>Warps <paramref name="src"/> (any type) by the 2×3 affine <paramref name="matrix"/> (see the <see cref="GrayImage"/> overload).</summary>
    public static Mat WarpAffine(Mat src, ReadOnlySpan<double> matrix, int width, int height,
        double border = 0, InterpolationFlags interpolation = InterpolationFlags.Linear)
    {
        if (matrix.Length != 6) throw new ArgumentException($"an affine matrix has 6 values, got {matrix.Length}", nameof(matrix));
        using var m = new Mat(2, 3, MatType.CV_64FC1);
        m.SetArray(matrix.ToArray());
        var dst = new Mat();
        Cv2.WarpAffine(src, dst, m, new OpenCvSharp.Size(width, height), interpolation, BorderTypes.Constant, Scalar.All(border));
        return dst;
    }

    /// <summary>
    /// The affine matrix (row-major 2×3) mapping the three <paramref name="from"/> points onto the
    /// three <paramref name="to"/> points, e.g. eye corners onto a canonical face crop.
    /// </summary>
    public static double[] AffineFromPoints(ReadOnlySpan<Point2f> from, ReadOnlySpan<Point2f> to)
    {
        if (from.Length != 3 || to.Length != 3) throw new ArgumentException("an affine map needs exactly three point pairs");
        using var m = Cv2.GetAffineTransform(from.ToArray(), to.ToArray());
        m.GetArray(out double[] values);
        return values;
    }

    /// <summary>Converts colour with OpenCV (<paramref name="code"/>, e.g. <see cref="ColorConversionCodes.BGR2GRAY"/>).</summary>
    public static Mat ConvertColour(Mat src, ColorConversionCodes code)
    {
        var dst = new Mat();
        Cv2.CvtColor(src, dst, code);
        return dst;
    }
}
