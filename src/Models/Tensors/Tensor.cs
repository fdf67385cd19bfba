using System.Buffers;

namespace Vigil.Models.Tensors;

/// <summary>
/// A dense tensor seen without its element type parameter: shape, element type and the raw
/// memory. A tensor has no name; a model binds it to an input by name at run time, so one buffer
/// can feed any model whose input has the same shape and type. Concrete tensors are
/// <see cref="DenseTensor{T}"/>.
/// </summary>
public abstract class Tensor : IDisposable
{
    private protected Tensor(TensorShape shape) => Shape = shape ?? throw new ArgumentNullException(nameof(shape));

    /// <summary>The concrete shape.</summary>
    public TensorShape Shape { get; }

    /// <summary>The element type.</summary>
    public abstract TensorElementType ElementType { get; }

    /// <summary>Number of elements.</summary>
    public long ElementCount => Shape.ElementCount;

    /// <summary>Size of the data in bytes.</summary>
    public long ByteLength => Shape.ElementCount * TensorElementTypes.SizeOf(ElementType);

    /// <summary>True when this tensor rents its buffer from a pool and returns it on <see cref="Dispose()"/>.</summary>
    public abstract bool OwnsBuffer { get; }

    /// <summary>The data as bytes (little-endian element layout, row-major).</summary>
    public abstract ReadOnlySpan<byte> AsBytes();

    /// <summary>
    /// Pins the data so native code may read or write it in place until the handle is disposed.
    /// </summary>
    public abstract MemoryHandle Pin();

    /// <summary>This tensor as <see cref="DenseTensor{T}"/>; a clear error when the element type differs.</summary>
    /// <exception cref="InvalidCastException">The tensor holds another element type.</exception>
    public DenseTensor<T> As<T>() where T : unmanaged =>
        this as DenseTensor<T> ?? throw new InvalidCastException(
            $"The tensor holds {TensorElementTypes.Name(ElementType)} {Shape}, not {TensorElementTypes.Name(TensorElementTypes.Of<T>())}.");

    /// <summary>Describes the tensor as <c>float32[1,3,240,320]</c>.</summary>
    public override string ToString() => TensorElementTypes.Name(ElementType) + Shape;

    /// <summary>Returns a pooled buffer to its pool; wrapped caller memory is left untouched.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the buffer when <paramref name="disposing"/>.</summary>
    protected abstract void Dispose(bool disposing);
}
