using OpenCvSharp;

namespace Vigil.Video.Motion;

/// <summary>
/// Optical flow of attention maps (the alternative to AM flow): two consecutive patch-grid heat
/// maps are scaled to 8-bit images, enlarged by <see cref="Upscale"/> (dense flow needs more than
/// 16×16 pixels) and given to OpenCV's Farnebäck dense flow; the field is returned on the patch grid in patch units.
/// </summary>
public static class AttentionOpticalFlow
{
    /// <summary>Pixels per patch in the images given to Farnebäck.</summary>
    public const int Upscale = 8;

    /// <summary>
    /// Dense flow from <paramref name="previous"/> to <paramref name="next"/> (row-major rows×columns
    /// maps of the same scale); returns (dx, dy) per patch, row-major, interleaved, in patches per frame.
    /// </summary>
    public static float[] Farneback(ReadOnlySpan<float> previous, ReadOnlySpan<float> next, int rows, int columns)
    {
        if (previous.Length != rows * columns || next.Length != rows * columns)
            throw new ArgumentException($"attention maps must be {rows}x{columns}");
        var max = 0f;
        foreach (var v in previous) max = MathF.Max(max, v);
        foreach (var v in next) max = MathF.Max(max, v);
        var scale = max > 0 ? 255f / max : 0f;
        using var a = ToImage(previous, rows, columns, scale);
        using var b = ToImage(next, rows, columns, scale);
        using var flow = new Mat();
        Cv2.CalcOpticalFlowFarneback(a, b, flow, 0.5, 2, 15, 3, 5, 1.2, OpticalFlowFlags.None);
        var result = new float[rows * columns * 2];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < columns; c++)
            {
                var v = flow.At<Vec2f>(r * Upscale + Upscale / 2, c * Upscale + Upscale / 2);
                result[(r * columns + c) * 2] = v.Item0 / Upscale;
                result[(r * columns + c) * 2 + 1] = v.Item1 / Upscale;
            }
        return result;
    }

    private static Mat ToImage(ReadOnlySpan<float> map, int rows, int columns, float scale)
    {
        using var small = new Mat(rows, columns, MatType.CV_8UC1);
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < columns; c++)
                small.Set(r, c, (byte)Math.Clamp(map[r * columns + c] * scale, 0, 255));
        var large = new Mat();
        Cv2.Resize(small, large, new OpenCvSharp.Size(columns * Upscale, rows * Upscale), 0, 0, InterpolationFlags.Cubic);
        return large;
    }
}
