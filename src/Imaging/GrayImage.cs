namespace Vigil.Imaging;

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

    /// <summary>
    /// Shrinks by an integer factor: each output pixel is the mean of a <paramref name="factor"/>²
    /// block (a trailing partial block is dropped). Decoders do the same while decoding (see
    /// <see cref="Radiograph.Reduction"/>) through the same arithmetic, so the pixels are identical.
    /// Returns this image when the factor is 1 or would leave no pixel.
    /// </summary>
    public GrayImage ShrinkBy(int factor)
    {
        if (factor <= 1 || Width / factor == 0 || Height / factor == 0) return this;
        var writer = new ShrinkingImageWriter(Width, Height, factor);
        for (var y = 0; y < Height; y++) writer.Add(Pixels.AsSpan(y * Width, Width));
        return writer.Build();
    }
}
