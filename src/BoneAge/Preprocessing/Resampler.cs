using Vigil.Imaging;

namespace Vigil.BoneAge.Preprocessing;

/// <summary>
/// Area-averaging resampling (each output pixel is the coverage-weighted mean of the source pixels
/// under it), separable, so downscaling large radiographs does not alias and every source pixel
/// counts; and letterboxing, which keeps the aspect ratio and pads the rest.
/// </summary>
public static class Resampler
{
    /// <summary>Resamples <paramref name="src"/> to <paramref name="width"/>×<paramref name="height"/>.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static GrayImage Resize(GrayImage src, int width, int height)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"target size {width}x{height} is empty");
        if (width == src.Width && height == src.Height) return new GrayImage(width, height, (float[])src.Pixels.Clone());
        var xs = Weights(src.Width, width);
        var ys = Weights(src.Height, height);
        // Horizontal pass: src.Height rows of `width`.
        var tmp = new float[src.Height * width];
        for (var y = 0; y < src.Height; y++)
        {
            var row = src.Pixels.AsSpan(y * src.Width, src.Width);
            var outRow = tmp.AsSpan(y * width, width);
            for (var x = 0; x < width; x++)
            {
                var (start, w) = xs[x];
                float acc = 0;
                for (var k = 0; k < w.Length; k++) acc += row[start + k] * w[k];
                outRow[x] = acc;
            }
        }
        // Vertical pass, accumulating whole rows for cache-friendly access.
        var dst = new float[width * height];
        for (var y = 0; y < height; y++)
        {
            var (start, w) = ys[y];
            var outRow = dst.AsSpan(y * width, width);
            for (var k = 0; k < w.Length; k++)
            {
                var srcRow = tmp.AsSpan((start + k) * width, width);
                var wk = w[k];
                for (var x = 0; x < width; x++) outRow[x] += srcRow[x] * wk;
            }
        }
        return new GrayImage(width, height, dst);
    }

    /// <summary>For each output index, the first source index and the normalised weights of the sources it covers.</summary>
    private static (int Start, float[] Weights)[] Weights(int srcSize, int dstSize)
    {
        var result = new (int, float[])[dstSize];
        var scale = (double)srcSize / dstSize;
        for (var i = 0; i < dstSize; i++)
        {
            var a = i * scale;
            var b = Math.Min(srcSize, (i + 1) * scale);
            var first = (int)Math.Floor(a);
            var last = Math.Min(srcSize - 1, (int)Math.Ceiling(b) - 1);
            var w = new float[last - first + 1];
            double total = 0;
            for (var s = first; s <= last; s++)
            {
                var cover = Math.Min(b, s + 1) - Math.Max(a, s);
                w[s - first] = (float)cover;
                total += cover;
            }
            for (var k = 0; k < w.Length; k++) w[k] = (float)(w[k] / total);
            result[i] = (first, w);
        }
        return result;
    }

    /// <summary>
    /// Fits <paramref name="src"/> inside <paramref name="width"/>×<paramref name="height"/> keeping
    /// its aspect ratio, centred, the rest filled with <paramref name="pad"/>. Returns the image and
    /// where the content lies in it.
    /// </summary>
    public static (GrayImage Image, CropBox Content) Letterbox(GrayImage src, int width, int height, float pad)
    {
        var scale = Math.Min((double)width / src.Width, (double)height / src.Height);
        var w = Math.Clamp((int)Math.Round(src.Width * scale), 1, width);
        var h = Math.Clamp((int)Math.Round(src.Height * scale), 1, height);
        var fitted = Resize(src, w, h);
        var dst = new float[width * height];
        if (pad != 0) Array.Fill(dst, pad);
        var x0 = (width - w) / 2;
        var y0 = (height - h) / 2;
        for (var y = 0; y < h; y++) fitted.Pixels.AsSpan(y * w, w).CopyTo(dst.AsSpan((y0 + y) * width + x0));
        return (new GrayImage(width, height, dst), new CropBox(x0, y0, w, h));
    }
}
