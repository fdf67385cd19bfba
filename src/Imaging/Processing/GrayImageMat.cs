using OpenCvSharp;

namespace Vigil.Imaging.Processing;

/// <summary>Copies between <see cref="GrayImage"/> (managed floats) and OpenCV <see cref="Mat"/>s.</summary>
public static class GrayImageMat
{
    /// <summary>A new single-channel 32-bit float Mat holding a copy of <paramref name="image"/>; the caller disposes it.</summary>
    public static Mat ToMat(this GrayImage image)
    {
        var mat = new Mat(image.Height, image.Width, MatType.CV_32FC1);
        mat.SetArray(image.Pixels);
        return mat;
    }

    /// <summary>
    /// A grey image from <paramref name="mat"/>: 8/16-bit grey, grey + alpha, BGR or BGRA (colour
    /// through BT.601 luma), or 32-bit float grey copied as is.
    /// </summary>
    public static GrayImage ToGrayImage(this Mat mat)
    {
        if (mat.Empty()) throw new ArgumentException("the Mat is empty", nameof(mat));
        var pixels = new float[(long)mat.Width * mat.Height];
        if (mat.Type() == MatType.CV_32FC1)
        {
            using var continuous = mat.IsContinuous() ? null : mat.Clone();
            (continuous ?? mat).GetArray(out float[] copy);
            return new GrayImage(mat.Width, mat.Height, copy);
        }
        var rows = Decoding.MatRows.Of(mat);
        for (var y = 0; y < rows.Height; y++) rows.ReadGrey(y, pixels.AsSpan(y * rows.Width, rows.Width));
        return new GrayImage(rows.Width, rows.Height, pixels);
    }
}
