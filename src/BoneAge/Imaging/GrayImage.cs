namespace Vigil.BoneAge.Imaging;

/// <summary>A single-channel image of 32-bit float intensities, row-major, top row first.</summary>
public sealed class GrayImage
{
    /// <summary>Wraps <paramref name="pixels"/> (length must be width × height).</summary>
    public GrayImage(int width, int height, float[] pixels)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"image size {width}x{height} is empty");
        if (pixels.Length != (long)width * height)
            throw new ArgumentException($"pixel buffer holds {pixels.Length} values, expected {width}x{height}", nameof(pixels));
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Intensities, row-major.</summary>
    public float[] Pixels { get; }

    /// <summary>The intensity at column <paramref name="x"/>, row <paramref name="y"/>.</summary>
    public float this[int x, int y] => Pixels[y * Width + x];

    /// <summary>Smallest and largest intensity.</summary>
    public (float Min, float Max) Range()
    {
        var span = Pixels.AsSpan();
        return (System.Numerics.Tensors.TensorPrimitives.Min(span), System.Numerics.Tensors.TensorPrimitives.Max(span));
    }
}
