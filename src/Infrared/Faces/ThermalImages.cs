using OpenCvSharp;

namespace Vigil.Infrared.Faces;

/// <summary>Conversions between thermal frames and the 8-bit BGR images the face detectors read.</summary>
public static class ThermalImages
{
    /// <summary>
    /// A temperature (or raw count) frame as a white-hot grey BGR image: values stretched between the
    /// frame's 1st and 99th percentiles (robust to a hot radiator in the scene). NaN becomes black.
    /// </summary>
    /// <exception cref="ArgumentException">The span does not hold width × height values.</exception>
    public static Mat FromTemperatures(ReadOnlySpan<float> values, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (values.Length != width * height)
            throw new ArgumentException($"the frame holds {values.Length} values; {width}x{height} = {width * height} expected.", nameof(values));
        var finite = new List<float>(values.Length);
        foreach (var v in values) if (float.IsFinite(v)) finite.Add(v);
        finite.Sort();
        float lo = finite.Count > 0 ? finite[(int)(0.01 * (finite.Count - 1))] : 0;
        float hi = finite.Count > 0 ? finite[(int)(0.99 * (finite.Count - 1))] : 1;
        var range = hi > lo ? hi - lo : 1;
        var grey = new Mat(height, width, MatType.CV_8UC1);
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var v = values[y * width + x];
                grey.Set(y, x, float.IsFinite(v) ? (byte)Math.Clamp((v - lo) / range * 255f + 0.5f, 0, 255) : (byte)0);
            }
        var bgr = new Mat();
        Cv2.CvtColor(grey, bgr, ColorConversionCodes.GRAY2BGR);
        grey.Dispose();
        return bgr;
    }

    /// <summary>An 8-bit BGR copy of <paramref name="image"/> (grey images are replicated into three channels).</summary>
    /// <exception cref="ArgumentException">Empty, or not 8-bit with 1, 3 or 4 channels.</exception>
    public static Mat ToBgr(Mat image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Empty()) throw new ArgumentException("the image is empty.", nameof(image));
        if (image.Depth() != MatType.CV_8U) throw new ArgumentException($"the image is {image.Type()}; 8-bit is needed.", nameof(image));
        var bgr = new Mat();
        switch (image.Channels())
        {
            case 1: Cv2.CvtColor(image, bgr, ColorConversionCodes.GRAY2BGR); break;
            case 3: image.CopyTo(bgr); break;
            case 4: Cv2.CvtColor(image, bgr, ColorConversionCodes.BGRA2BGR); break;
            default: bgr.Dispose(); throw new ArgumentException($"the image has {image.Channels()} channels; 1, 3 or 4 are read.", nameof(image));
        }
        return bgr;
    }
}
