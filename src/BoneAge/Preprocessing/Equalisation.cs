using Vigil.Imaging;

namespace Vigil.BoneAge.Preprocessing;

/// <summary>Histogram equalisation and CLAHE on images with values in [0, 1], 256 grey levels.</summary>
public static class Equalisation
{
    private const int Levels = 256;

    private static int Level(float v) => Math.Clamp((int)(v * (Levels - 1) + 0.5f), 0, Levels - 1);

    /// <summary>Global histogram equalisation in place: each value becomes its cumulative frequency.</summary>
    public static void Histogram(GrayImage image)
    {
        var hist = new int[Levels];
        foreach (var v in image.Pixels) hist[Level(v)]++;
        var map = Mapping(hist, image.Pixels.Length);
        var px = image.Pixels;
        for (var i = 0; i < px.Length; i++) px[i] = map[Level(px[i])];
    }

    /// <summary>Cumulative distribution as a map from level to [0, 1] (the first occupied level maps to 0).</summary>
    private static float[] Mapping(int[] hist, long total)
    {
        var map = new float[Levels];
        long cdfMin = 0;
        foreach (var h in hist) if (h > 0) { cdfMin = h; break; }
        long cum = 0;
        var denominator = Math.Max(1, total - cdfMin);
        for (var l = 0; l < Levels; l++)
        {
            cum += hist[l];
            map[l] = Math.Clamp((float)(cum - cdfMin) / denominator, 0f, 1f);
        }
        return map;
    }

    /// <summary>
    /// CLAHE in place: a <paramref name="tiles"/>×<paramref name="tiles"/> grid of tile histograms,
    /// each clipped at <paramref name="clipLimit"/> times the mean bin height with the excess spread
    /// evenly, equalised per tile, and each pixel's value interpolated bilinearly between the
    /// mappings of the four nearest tile centres.
    /// </summary>
    public static void Clahe(GrayImage image, int tiles, double clipLimit)
    {
        if (tiles < 1) throw new ArgumentOutOfRangeException(nameof(tiles), "CLAHE needs at least one tile");
        int w = image.Width, h = image.Height;
        var tx = Math.Min(tiles, w);
        var ty = Math.Min(tiles, h);
        var maps = new float[tx * ty][];
        var px = image.Pixels;
        for (var j = 0; j < ty; j++)
            for (var i = 0; i < tx; i++)
            {
                int x0 = i * w / tx, x1 = (i + 1) * w / tx, y0 = j * h / ty, y1 = (j + 1) * h / ty;
                var hist = new int[Levels];
                for (var y = y0; y < y1; y++)
                    for (var x = x0; x < x1; x++) hist[Level(px[y * w + x])]++;
                var count = (x1 - x0) * (y1 - y0);
                var limit = Math.Max(1, (int)(clipLimit * count / Levels));
                long excess = 0;
                for (var l = 0; l < Levels; l++) if (hist[l] > limit) { excess += hist[l] - limit; hist[l] = limit; }
                var each = (int)(excess / Levels);
                var rest = (int)(excess % Levels);
                for (var l = 0; l < Levels; l++) hist[l] += each + (l < rest ? 1 : 0);
                var map = new float[Levels];
                long cum = 0;
                for (var l = 0; l < Levels; l++) { cum += hist[l]; map[l] = (float)cum / count; }
                maps[j * tx + i] = map;
            }

        var cellW = (double)w / tx;
        var cellH = (double)h / ty;
        for (var y = 0; y < h; y++)
        {
            var gy = (y + 0.5) / cellH - 0.5;
            var j0 = Math.Clamp((int)Math.Floor(gy), 0, ty - 1);
            var j1 = Math.Min(j0 + 1, ty - 1);
            var fy = (float)Math.Clamp(gy - j0, 0, 1);
            for (var x = 0; x < w; x++)
            {
                var gx = (x + 0.5) / cellW - 0.5;
                var i0 = Math.Clamp((int)Math.Floor(gx), 0, tx - 1);
                var i1 = Math.Min(i0 + 1, tx - 1);
                var fx = (float)Math.Clamp(gx - i0, 0, 1);
                var l = Level(px[y * w + x]);
                var top = maps[j0 * tx + i0][l] * (1 - fx) + maps[j0 * tx + i1][l] * fx;
                var bottom = maps[j1 * tx + i0][l] * (1 - fx) + maps[j1 * tx + i1][l] * fx;
                px[y * w + x] = top * (1 - fy) + bottom * fy;
            }
        }
    }
}
