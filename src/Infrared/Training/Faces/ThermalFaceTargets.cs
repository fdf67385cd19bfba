using Vigil.Infrared.Faces;

namespace Vigil.Infrared.Training.Faces;

/// <summary>
/// Training targets of one image for the centre map: a heat map with 1 at each face's centre cell
/// and a Gaussian around it (σ = max(0.6, 0.12·√(w·h)/stride) cells; CenterNet's penalty-reduced
/// focal loss reads it), the regression values at centre cells and a mask of those cells.
/// </summary>
/// <param name="Heat">[rows·cols] heat map.</param>
/// <param name="Box">[4·rows·cols] channel-major: offset x, offset y (cells), log(w/stride), log(h/stride).</param>
/// <param name="Mask">[rows·cols] 1 at centre cells.</param>
public sealed record ThermalFaceTargets(float[] Heat, float[] Box, float[] Mask)
{
    /// <summary>Targets for <paramref name="faces"/> in an image of <paramref name="width"/> × <paramref name="height"/> pixels.</summary>
    public static ThermalFaceTargets Of(IReadOnlyList<ThermalFace> faces, int width, int height)
    {
        const int stride = ThermalFaceNetwork.Stride;
        int rows = height / stride, cols = width / stride, plane = rows * cols;
        var heat = new float[plane];
        var box = new float[4 * plane];
        var mask = new float[plane];
        foreach (var f in faces)
        {
            if (f.Width < 1 || f.Height < 1) continue;
            var gx = (f.X + f.Width / 2) / stride;
            var gy = (f.Y + f.Height / 2) / stride;
            int col = Math.Clamp((int)gx, 0, cols - 1), row = Math.Clamp((int)gy, 0, rows - 1);
            var sigma = Math.Max(0.6f, 0.12f * MathF.Sqrt(f.Width * f.Height) / stride);
            var reach = (int)MathF.Ceiling(3 * sigma);
            for (var y = Math.Max(0, row - reach); y <= Math.Min(rows - 1, row + reach); y++)
                for (var x = Math.Max(0, col - reach); x <= Math.Min(cols - 1, col + reach); x++)
                {
                    var g = MathF.Exp(-((x - col) * (x - col) + (y - row) * (y - row)) / (2 * sigma * sigma));
                    heat[y * cols + x] = Math.Max(heat[y * cols + x], g);
                }
            var i = row * cols + col;
            heat[i] = 1;
            mask[i] = 1;
            box[i] = gx - (col + 0.5f);
            box[plane + i] = gy - (row + 0.5f);
            box[2 * plane + i] = MathF.Log(f.Width / stride);
            box[3 * plane + i] = MathF.Log(f.Height / stride);
        }
        return new ThermalFaceTargets(heat, box, mask);
    }
}
