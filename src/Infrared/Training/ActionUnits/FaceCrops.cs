using OpenCvSharp;
using Vigil.Models.Training.Adaptation;

namespace Vigil.Infrared.Training.ActionUnits;

/// <summary>
/// Square greyscale face crops for the AU student: the box widened by a margin, made square around
/// its centre, cut out (black outside the image), resized to the student's input size and scaled
/// to [-1, 1]. RGB and thermal (palette) images go through the same path so the only difference
/// left between the domains is the sensor.
/// </summary>
public static class FaceCrops
{
    /// <summary>Fraction of the box's long side added on each side (default 0.1).</summary>
    public const double Margin = 0.1;

    /// <summary>The crop of box (x1, y1, x2, y2) in <paramref name="image"/> (BGR or grey) as <paramref name="size"/>² pixels in [-1, 1].</summary>
    public static float[] Crop(Mat image, float x1, float y1, float x2, float y2, int size)
    {
        ArgumentNullException.ThrowIfNull(image);
        var side = Math.Max(x2 - x1, y2 - y1) * (1 + 2 * Margin);
        if (!(side >= 2)) throw new ArgumentException($"face box {x1},{y1},{x2},{y2} is too small to crop.");
        var cx = (x1 + x2) / 2;
        var cy = (y1 + y2) / 2;
        using var grey = new Mat();
        if (image.Channels() == 1) image.CopyTo(grey);
        else Cv2.CvtColor(image, grey, ColorConversionCodes.BGR2GRAY);
        // Affine map from crop pixels to image pixels; outside the image stays black.
        var s = side / size;
        using var matrix = Mat.FromPixelData(2, 3, MatType.CV_64FC1, new double[] { s, 0, cx - side / 2, 0, s, cy - side / 2 });
        using var crop = new Mat();
        Cv2.WarpAffine(grey, crop, matrix, new OpenCvSharp.Size(size, size), InterpolationFlags.Area | InterpolationFlags.WarpInverseMap, BorderTypes.Constant, Scalar.All(0));
        return AdaptationImages.Pixels(crop, size);
    }

    /// <summary>The crop mirrored left to right (the teacher's AUs are bilateral, so labels stay).</summary>
    public static float[] Mirror(float[] pixels, int size)
    {
        var m = new float[pixels.Length];
        for (var y = 0; y < size; y++)
            for (var x = 0; x < size; x++)
                m[y * size + x] = pixels[y * size + size - 1 - x];
        return m;
    }
}
