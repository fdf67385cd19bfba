using Vigil.Imaging;

namespace Vigil.BoneAge.Preprocessing;

/// <summary>
/// Crops a normalised radiograph (values in [0, 1]) to the hand: pixels above a threshold (Otsu's
/// when none is given) are foreground; rows and columns holding at least a minimum fraction of
/// foreground pixels bound the hand, so isolated specks and thin labels do not stretch the box;
/// a margin proportional to the box is added and clipped to the image.
/// </summary>
public static class HandCrop
{
    /// <summary>Otsu's threshold (1979) over a 256-bin histogram of values in [0, 1].</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static float OtsuThreshold(GrayImage image)
    {
        var hist = new long[256];
        foreach (var v in image.Pixels) hist[Math.Clamp((int)(v * 255f + 0.5f), 0, 255)]++;
        long total = image.Pixels.Length;
        double sumAll = 0;
        for (var i = 0; i < 256; i++) sumAll += i * (double)hist[i];
        double sumB = 0, best = -1;
        long wB = 0;
        var threshold = 0;
        for (var t = 0; t < 256; t++)
        {
            wB += hist[t];
            if (wB == 0) continue;
            var wF = total - wB;
            if (wF == 0) break;
            sumB += t * (double)hist[t];
            var mB = sumB / wB;
            var mF = (sumAll - sumB) / wF;
            var between = (double)wB * wF * (mB - mF) * (mB - mF);
            if (between > best) { best = between; threshold = t; }
        }
        return (threshold + 0.5f) / 255f;
    }

    /// <summary>
    /// The crop box for the hand; the whole image when nothing qualifies as foreground.
    /// </summary>
    /// <param name="image">Normalised image, values in [0, 1].</param>
    /// <param name="threshold">Foreground threshold; null for Otsu's.</param>
    /// <param name="margin">Margin added on each side, as a fraction of the box's size.</param>
    /// <param name="minFraction">Fraction of a row's (column's) pixels that must be foreground for it to count.</param>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static CropBox Find(GrayImage image, float? threshold, double margin, double minFraction)
    {
        var t = threshold ?? OtsuThreshold(image);
        int w = image.Width, h = image.Height;
        var rowCount = new int[h];
        var colCount = new int[w];
        var px = image.Pixels;
        for (var y = 0; y < h; y++)
        {
            var row = px.AsSpan(y * w, w);
            var n = 0;
            for (var x = 0; x < w; x++)
                if (row[x] > t) { n++; colCount[x]++; }
            rowCount[y] = n;
        }
        var minRow = Math.Max(1, (int)Math.Ceiling(minFraction * w));
        var minCol = Math.Max(1, (int)Math.Ceiling(minFraction * h));
        int y0 = Array.FindIndex(rowCount, c => c >= minRow), y1 = Array.FindLastIndex(rowCount, c => c >= minRow);
        int x0 = Array.FindIndex(colCount, c => c >= minCol), x1 = Array.FindLastIndex(colCount, c => c >= minCol);
        if (y0 < 0 || x0 < 0) return new CropBox(0, 0, w, h);
        var mx = (int)Math.Round(margin * (x1 - x0 + 1));
        var my = (int)Math.Round(margin * (y1 - y0 + 1));
        x0 = Math.Max(0, x0 - mx); x1 = Math.Min(w - 1, x1 + mx);
        y0 = Math.Max(0, y0 - my); y1 = Math.Min(h - 1, y1 + my);
        return new CropBox(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
    }

    /// <summary>Copies the <paramref name="box"/> region into a new image.</summary>
    public static GrayImage Extract(GrayImage image, CropBox box)
    {
        if (box.X == 0 && box.Y == 0 && box.Width == image.Width && box.Height == image.Height) return image;
        var dst = new float[box.Width * box.Height];
        for (var y = 0; y < box.Height; y++)
            image.Pixels.AsSpan((box.Y + y) * image.Width + box.X, box.Width).CopyTo(dst.AsSpan(y * box.Width));
        return new GrayImage(box.Width, box.Height, dst);
    }
}
