using System.Collections;

namespace Vigil.Models.Tensors;

/// <summary>
/// The concrete, immutable shape of a tensor (every dimension a known non-negative size).
/// Shapes with symbolic dimensions, as declared by a model, are described by
/// <see cref="Vigil.Models.Onnx.OnnxTensorInfo"/> instead.
/// </summary>
public sealed class TensorShape : IEquatable<TensorShape>, IReadOnlyList<long>
{
    private readonly long[] _dims;

    /// <summary>A shape with the given dimensions.</summary>
    /// <exception cref="ArgumentException">A dimension is negative or the element count overflows.</exception>
    public TensorShape(params long[] dimensions) : this(dimensions.AsSpan()) { }

    /// <summary>A shape with the given dimensions (copied).</summary>
    public TensorShape(ReadOnlySpan<long> dimensions)
    {
        _dims = dimensions.ToArray();
        long count = 1;
        foreach (var d in _dims)
        {
            if (d < 0) throw new ArgumentException($"Tensor dimensions must be >= 0, got {Format(_dims)}.", nameof(dimensions));
            count = checked(count * d);
        }
        ElementCount = count;
    }

    /// <summary>A shape from 32-bit dimensions.</summary>
    public TensorShape(params int[] dimensions) : this(Array.ConvertAll(dimensions, d => (long)d)) { }

    /// <summary>The shape of a scalar (rank 0, one element).</summary>
    public static TensorShape Scalar { get; } = new(Array.Empty<long>());

    /// <summary>Number of dimensions.</summary>
    public int Rank => _dims.Length;

    /// <summary>Number of elements (product of the dimensions; 1 for a scalar).</summary>
    public long ElementCount { get; }

    /// <summary>The dimensions.</summary>
    public ReadOnlySpan<long> Dimensions => _dims;

    // The array itself, for native bindings that only read it (saves a copy per call). Never mutate.
    internal long[] DimensionArray => _dims;

    /// <summary>Same as <see cref="Rank"/>.</summary>
    public int Count => _dims.Length;

    /// <summary>The size of dimension <paramref name="index"/>.</summary>
    public long this[int index] => _dims[index];

    /// <summary>This shape with dimension 0 replaced by <paramref name="batch"/>.</summary>
    public TensorShape WithBatch(long batch)
    {
        if (Rank == 0) throw new InvalidOperationException("A scalar shape has no batch dimension.");
        var d = (long[])_dims.Clone();
        d[0] = batch;
        return new TensorShape(d);
    }

    /// <inheritdoc />
    public bool Equals(TensorShape? other) => other is not null && _dims.AsSpan().SequenceEqual(other._dims);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as TensorShape);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var d in _dims) h.Add(d);
        return h.ToHashCode();
    }

    /// <summary>Formats as <c>[1,3,240,320]</c>.</summary>
    public override string ToString() => Format(_dims);

    /// <inheritdoc />
    public IEnumerator<long> GetEnumerator() => ((IEnumerable<long>)_dims).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _dims.GetEnumerator();

    /// <summary>Equality of dimensions.</summary>
    public static bool operator ==(TensorShape? a, TensorShape? b) => a is null ? b is null : a.Equals(b);

    /// <summary>Inequality of dimensions.</summary>
    public static bool operator !=(TensorShape? a, TensorShape? b) => !(a == b);

    private static string Format(long[] dims) => "[" + string.Join(",", dims) + "]";
}
