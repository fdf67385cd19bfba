using System.Numerics.Tensors;
using Vigil.Imaging;

namespace Vigil.BoneAge.Preprocessing;

/// <summary>Point-wise intensity steps: MONOCHROME1 inversion, VOI windowing, robust percentile normalisation.</summary>
public static class IntensitySteps
{
    /// <summary>Inverts in place within the image's own range: v ← min + max − v (MONOCHROME1 → MONOCHROME2).</summary>
    public static void Invert(GrayImage image)
    {
        var (min, max) = image.Range();
        var span = image.Pixels.AsSpan();
        TensorPrimitives.Negate(span, span);
        TensorPrimitives.Add(span, min + max, span);
    }

    /// <summary>
    /// Applies a linear VOI window in place (PS3.3 C.11.2.1.2.1): values at or below the window's
    /// low end become 0, at or above its high end 1, linear in between.
    /// </summary>
    public static void ApplyWindow(GrayImage image, VoiWindow window)
    {
        var span = image.Pixels.AsSpan();
        var c = (float)(window.Center - 0.5);
        var w = (float)Math.Max(window.Width - 1, 1e-6);
        // y = ((x - c) / w + 0.5), clamped to [0, 1].
        TensorPrimitives.Subtract(span, c, span);
        TensorPrimitives.Multiply(span, 1f / w, span);
        TensorPrimitives.Add(span, 0.5f, span);
        TensorPrimitives.Clamp(span, 0f, 1f, span);
    }

    /// <summary>
    /// Nearest-rank percentiles (0..100) of the image, exact for data with fewer than 65,536
    /// distinct levels: one pass builds a 65,536-bin histogram and each bin's smallest value; the
    /// rank's bin then gives the value.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static (float Low, float High) Percentiles(GrayImage image, double low, double high)
    {
        if (!(low >= 0 && high <= 100 && low < high)) throw new ArgumentOutOfRangeException(nameof(low), $"percentiles must satisfy 0 <= low < high <= 100, got {low}, {high}");
        var (min, max) = image.Range();
        if (!float.IsFinite(min) || !float.IsFinite(max)) throw new ArgumentException("image holds NaN or infinite values", nameof(image));
        if (max == min) return (min, max);
        const int bins = 65536;
        var hist = new int[bins];
        var binMin = new float[bins];
        binMin.AsSpan().Fill(float.MaxValue);
        var scale = (bins - 1) / (double)(max - min);
        foreach (var v in image.Pixels)
        {
            var bin = (int)((v - min) * scale);
            hist[bin]++;
            if (v < binMin[bin]) binMin[bin] = v;
        }
        var n = image.Pixels.Length;
        return (binMin[BinOfRank(hist, Rank(n, low))], binMin[BinOfRank(hist, Rank(n, high))]);
    }

    private static long Rank(int n, double pct) => Math.Clamp((long)Math.Ceiling(pct / 100 * n), 1, n);

    private static int BinOfRank(int[] hist, long rank)
    {
        long cum = 0;
        for (var bin = 0; bin < hist.Length; bin++)
        {
            cum += hist[bin];
            if (cum >= rank) return bin;
        }
        return hist.Length - 1;
    }

    /// <summary>
    /// Robust normalisation in place: maps the <paramref name="low"/> and <paramref name="high"/>
    /// percentiles to 0 and 1 and clamps, so a few extreme pixels (labels, burned-in text, dead
    /// detector lines) do not set the contrast. Returns the two percentile values used.
    /// </summary>
    public static (float Low, float High) NormalisePercentiles(GrayImage image, double low, double high)
    {
        var (lo, hi) = Percentiles(image, low, high);
        var span = image.Pixels.AsSpan();
        if (hi <= lo)
        {
            // A flat image has no contrast to stretch: it becomes uniformly 0.
            span.Clear();
            return (lo, hi);
        }
        TensorPrimitives.Subtract(span, lo, span);
        TensorPrimitives.Multiply(span, 1f / (hi - lo), span);
        TensorPrimitives.Clamp(span, 0f, 1f, span);
        return (lo, hi);
    }
}
