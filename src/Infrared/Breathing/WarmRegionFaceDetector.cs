using OpenCvSharp;
using Vigil.Infrared.Thermal;

namespace Vigil.Infrared.Breathing;

/// <summary>
/// A classical thermal face finder for a bedside camera with one patient: skin is the warmest large
/// surface in a room, so pixels above a threshold halfway between the scene's median and its
/// 99th-percentile temperature (and above <see cref="MinSkinCelsius"/> on radiometric frames) are
/// grouped into connected regions, and the largest region of at least <see cref="MinAreaFraction"/>
/// of the frame whose height/width ratio is face-like (0.9–2.2) is the face. Small warm objects
/// (lamps, cups) lose on area. It knows nothing of faces beyond that; an adapted detector
/// (Infrared/Faces) plugs into the same interface.
/// </summary>
public sealed class WarmRegionFaceDetector : IThermalFaceDetector
{
    /// <summary>Smallest face, as a share of the frame's pixels.</summary>
    public double MinAreaFraction { get; init; } = 0.03;

    /// <summary>Coldest temperature taken for skin on radiometric frames, °C.</summary>
    public double MinSkinCelsius { get; init; } = 28;

    /// <inheritdoc/>
    public string Name => "warm-region";

    /// <inheritdoc/>
    public unsafe FaceBox? Detect(ThermalFrame frame)
    {
        var t = frame.Celsius;
        var (median, high) = Percentiles(t);
        var threshold = (float)Math.Max((median + high) / 2, frame.Radiometric ? MinSkinCelsius : double.MinValue);
        if (high - median < 1e-3) return null;
        using var mask = new Mat(frame.Height, frame.Width, MatType.CV_8UC1);
        for (var y = 0; y < frame.Height; y++)
        {
            var row = (byte*)mask.Ptr(y);
            var src = t.AsSpan(y * frame.Width, frame.Width);
            for (var x = 0; x < src.Length; x++) row[x] = src[x] >= threshold ? (byte)255 : (byte)0;
        }
        using var labels = new Mat();
        using var stats = new Mat();
        using var centroids = new Mat();
        var n = Cv2.ConnectedComponentsWithStats(mask, labels, stats, centroids, PixelConnectivity.Connectivity8);
        var minArea = MinAreaFraction * frame.Width * frame.Height;
        FaceBox? best = null;
        var bestArea = 0;
        for (var i = 1; i < n; i++)
        {
            var area = stats.At<int>(i, (int)ConnectedComponentsTypes.Area);
            var w = stats.At<int>(i, (int)ConnectedComponentsTypes.Width);
            var h = stats.At<int>(i, (int)ConnectedComponentsTypes.Height);
            if (area < minArea || area <= bestArea) continue;
            var ratio = (double)h / w;
            if (ratio is < 0.9 or > 2.2) continue;
            bestArea = area;
            // Score: how much of the box the region fills (an ellipse fills π/4 of its box).
            var fill = area / (double)(w * h);
            best = new FaceBox(stats.At<int>(i, (int)ConnectedComponentsTypes.Left), stats.At<int>(i, (int)ConnectedComponentsTypes.Top), w, h,
                (float)Math.Clamp(fill / (Math.PI / 4), 0, 1));
        }
        return best;
    }

    // Median and 99th percentile from a 0.1 °C histogram over the frame's range (no sort of the whole frame).
    private static (double Median, double High) Percentiles(float[] values)
    {
        float min = float.MaxValue, max = float.MinValue;
        foreach (var v in values) { if (v < min) min = v; if (v > max) max = v; }
        if (!(max > min)) return (min, min);
        const int bins = 1024;
        Span<int> histogram = stackalloc int[bins];
        var scale = (bins - 1) / (max - min);
        foreach (var v in values) histogram[(int)((v - min) * scale)]++;
        int half = values.Length / 2, top = (int)(values.Length * 0.99), seen = 0;
        double median = double.NaN, high = max;
        for (var i = 0; i < bins; i++)
        {
            seen += histogram[i];
            if (double.IsNaN(median) && seen >= half) median = min + i / scale;
            if (seen >= top) { high = min + i / scale; break; }
        }
        return (median, high);
    }
}
