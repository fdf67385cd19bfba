using System.Runtime.InteropServices;
using OpenCvSharp;

namespace Vigil.Video.Motion;

/// <summary>
/// Optical flow of attention maps (the alternative to AM flow): two consecutive patch-grid heat
/// maps are scaled to 8-bit images, enlarged by <see cref="Upscale"/> (dense flow needs more than
/// 16×16 pixels) and given to OpenCV's Farnebäck dense flow; the field is averaged over each patch's
/// pixels and returned on the patch grid in patch units. Averaging the whole patch (not one pixel
/// of it) keeps the result exactly mirror-symmetric: the mirrored maps give the mirrored field with
/// the horizontal component negated, which the training's mirror augmentation relies on.
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
        var cells = rows * columns;
        var dx = new float[cells];
        var dy = new float[cells];
        Farneback(previous, next, rows, columns, dx, dy);
        var result = new float[cells * 2];
        for (var k = 0; k < cells; k++)
        {
            result[2 * k] = dx[k];
            result[2 * k + 1] = dy[k];
        }
        return result;
    }

    /// <summary>
    /// Dense flow from <paramref name="previous"/> to <paramref name="next"/> into the row-major grids
    /// <paramref name="dx"/> (to the right positive) and <paramref name="dy"/> (downwards positive), in patches per frame.
    /// </summary>
    /// <exception cref="ArgumentException">A map or an output is not rows×columns, or a map holds NaN.</exception>
    public static void Farneback(ReadOnlySpan<float> previous, ReadOnlySpan<float> next, int rows, int columns, Span<float> dx, Span<float> dy)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        var cells = rows * columns;
        if (previous.Length != cells || next.Length != cells)
            throw new ArgumentException($"attention maps must be {rows}x{columns} ({cells} values), got {previous.Length} and {next.Length}");
        if (dx.Length != cells || dy.Length != cells) throw new ArgumentException($"flow grids must hold {cells} values, got {dx.Length} and {dy.Length}");
        var max = 0f;
        foreach (var v in previous) max = Checked(v, max);
        foreach (var v in next) max = Checked(v, max);
        var scale = max > 0 ? 255f / max : 0f;
        using var a = ToImage(previous, rows, columns, scale);
        using var b = ToImage(next, rows, columns, scale);
        using var flow = new Mat();
        Cv2.CalcOpticalFlowFarneback(a, b, flow, 0.5, 2, 15, 3, 5, 1.2, OpticalFlowFlags.None);
        var width = columns * Upscale;
        var field = new float[rows * Upscale * width * 2];
        using (var continuous = flow.IsContinuous() ? null : flow.Clone())
            Marshal.Copy((continuous ?? flow).Data, field, 0, field.Length);
        dx.Clear();
        dy.Clear();
        for (var y = 0; y < rows * Upscale; y++)
            for (var x = 0; x < width; x++)
            {
                var k = y / Upscale * columns + x / Upscale;
                dx[k] += field[(y * width + x) * 2];
                dy[k] += field[(y * width + x) * 2 + 1];
            }
        // Mean over the patch's pixels, then from pixels to patches.
        const float toPatches = 1f / (Upscale * Upscale * Upscale);
        for (var k = 0; k < cells; k++)
        {
            dx[k] *= toPatches;
            dy[k] *= toPatches;
        }
    }

    private static float Checked(float v, float max)
    {
        if (!float.IsFinite(v)) throw new ArgumentException("attention map holds NaN or infinity");
        return MathF.Max(max, v);
    }

    private static Mat ToImage(ReadOnlySpan<float> map, int rows, int columns, float scale)
    {
        using var small = new Mat(rows, columns, MatType.CV_8UC1);
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < columns; c++)
                small.Set(r, c, (byte)Math.Clamp(MathF.Round(map[r * columns + c] * scale), 0, 255));
        var large = new Mat();
        Cv2.Resize(small, large, new OpenCvSharp.Size(columns * Upscale, rows * Upscale), 0, 0, InterpolationFlags.Cubic);
        return large;
    }
}
