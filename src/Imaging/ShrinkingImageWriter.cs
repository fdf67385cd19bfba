using System.Numerics.Tensors;

namespace Vigil.Imaging;

/// <summary>
/// Builds a <see cref="GrayImage"/> from full-resolution rows fed top to bottom, averaging each
/// <c>factor</c>×<c>factor</c> block as the rows arrive (a trailing partial block is dropped), so a
/// decoder never holds the full-size image: a 1600×2080 radiograph shrunk by 7 needs one row of
/// accumulators instead of 13 MB of floats. With factor 1 the rows are copied as they are.
/// The arithmetic (row sums in arrival order, then block sums, then one scale) is the one
/// <see cref="GrayImage.ShrinkBy"/> uses, which is built on this writer: both give identical pixels.
/// </summary>
internal sealed class ShrinkingImageWriter
{
    private readonly int _sourceWidth;
    private readonly int _sourceHeight;
    private readonly float[] _pixels;
    private readonly float[]? _accumulator;
    private readonly float _scale;
    private int _row;

    /// <summary>
    /// A writer for a <paramref name="sourceWidth"/>×<paramref name="sourceHeight"/> image shrunk by
    /// <paramref name="factor"/>; a factor that would leave no pixel falls back to 1.
    /// </summary>
    public ShrinkingImageWriter(int sourceWidth, int sourceHeight, int factor)
    {
        if (factor > 1 && (sourceWidth / factor == 0 || sourceHeight / factor == 0)) factor = 1;
        Factor = Math.Max(1, factor);
        _sourceWidth = sourceWidth;
        _sourceHeight = sourceHeight;
        Width = sourceWidth / Factor;
        Height = sourceHeight / Factor;
        _pixels = new float[(long)Width * Height];
        if (Factor > 1) _accumulator = new float[sourceWidth];
        _scale = 1f / (Factor * Factor);
    }

    /// <summary>The factor actually applied.</summary>
    public int Factor { get; }

    /// <summary>Output width.</summary>
    public int Width { get; }

    /// <summary>Output height.</summary>
    public int Height { get; }

    /// <summary>Adds the next source row (exactly the source width).</summary>
    public void Add(ReadOnlySpan<float> row)
    {
        if (row.Length != _sourceWidth) throw new ArgumentException($"row has {row.Length} pixels, expected {_sourceWidth}", nameof(row));
        if (_row >= _sourceHeight) throw new InvalidOperationException($"all {_sourceHeight} rows were already added");
        var y = _row++;
        if (_accumulator is null)
        {
            row.CopyTo(_pixels.AsSpan(y * Width, Width));
            return;
        }
        var block = y / Factor;
        if (block >= Height) return; // the partial block at the bottom edge
        var acc = _accumulator.AsSpan();
        if (y % Factor == 0) row.CopyTo(acc);
        else TensorPrimitives.Add(acc, row, acc);
        if (y % Factor != Factor - 1) return;
        SumBlocks(acc, _pixels.AsSpan(block * Width, Width));
    }

    /// <summary>Each output pixel: the sum of its <see cref="Factor"/> accumulated columns, scaled.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void SumBlocks(ReadOnlySpan<float> acc, Span<float> outRow)
    {
        // A plain loop: blocks are a few columns wide, too short for a vectorised call each.
        var f = Factor;
        for (var x = 0; x < outRow.Length; x++)
        {
            var block = acc.Slice(x * f, f);
            var sum = block[0];
            for (var k = 1; k < block.Length; k++) sum += block[k];
            outRow[x] = sum * _scale;
        }
    }

    /// <summary>The image, once every source row has been added.</summary>
    public GrayImage Build()
    {
        if (_row != _sourceHeight) throw new InvalidOperationException($"only {_row} of {_sourceHeight} rows were added");
        return new GrayImage(Width, Height, _pixels);
    }
}
