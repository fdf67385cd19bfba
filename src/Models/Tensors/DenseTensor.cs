using System.Buffers;
using System.Runtime.InteropServices;

namespace Vigil.Models.Tensors;

/// <summary>
/// A dense row-major tensor of <typeparamref name="T"/>. Either it owns a pooled buffer (pinned,
/// 64-byte aligned, returned to the pool on <see cref="Tensor.Dispose()"/>), or it wraps
/// caller-owned <see cref="Memory{T}"/> without copying (the caller keeps ownership; disposing
/// the tensor does nothing to that memory).
/// </summary>
/// <typeparam name="T">float, Half, double, long, int, short, sbyte, ulong, uint, ushort, byte or bool.</typeparam>
public sealed class DenseTensor<T> : Tensor where T : unmanaged
{
    private T[]? _rented;
    private int _offset;
    private Memory<T> _memory;
    private bool _disposed;

    private DenseTensor(Memory<T> memory, TensorShape shape, T[]? rented, int offset) : base(shape)
    {
        if (TensorElementTypes.Of<T>() == TensorElementType.Undefined)
            throw new NotSupportedException($"{typeof(T).Name} has no ONNX tensor element type.");
        _memory = memory;
        _rented = rented;
        _offset = offset;
    }

    /// <summary>
    /// A tensor over a pooled buffer (pinned, data on a 64-byte boundary). The contents are zeroed
    /// when <paramref name="clear"/> is true, otherwise left as the pool hands them out.
    /// </summary>
    public static DenseTensor<T> Allocate(TensorShape shape, bool clear = true)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var n = checked((int)shape.ElementCount);
        var (array, offset) = AlignedBufferPool<T>.Rent(Math.Max(n, 1));
        var memory = array.AsMemory(offset, n);
        if (clear) memory.Span.Clear();
        return new DenseTensor<T>(memory, shape, array, offset);
    }

    /// <summary>A pooled tensor holding a copy of <paramref name="data"/>.</summary>
    public static DenseTensor<T> CopyOf(ReadOnlySpan<T> data, TensorShape shape)
    {
        CheckLength(data.Length, shape);
        var t = Allocate(shape, clear: false);
        data.CopyTo(t.Span);
        return t;
    }

    /// <summary>
    /// A tensor over caller-owned memory, without copying. The memory must hold exactly
    /// <c>shape.ElementCount</c> elements and must stay valid while the tensor is in use.
    /// </summary>
    /// <exception cref="ArgumentException">The length does not match the shape.</exception>
    public static DenseTensor<T> Wrap(Memory<T> memory, TensorShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        CheckLength(memory.Length, shape);
        return new DenseTensor<T>(memory, shape, null, 0);
    }

    /// <summary>A tensor over a caller-owned array, without copying.</summary>
    public static DenseTensor<T> Wrap(T[] data, params long[] dimensions) => Wrap(data.AsMemory(), new TensorShape(dimensions));

    /// <inheritdoc />
    public override TensorElementType ElementType => TensorElementTypes.Of<T>();

    /// <inheritdoc />
    public override bool OwnsBuffer => _rented is not null;

    /// <summary>The elements, row-major.</summary>
    public Memory<T> Memory
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _memory;
        }
    }

    /// <summary>The elements, row-major.</summary>
    public Span<T> Span => Memory.Span;

    /// <summary>The element at a row-major flat index.</summary>
    public T this[long flatIndex]
    {
        get => Span[checked((int)flatIndex)];
        set => Span[checked((int)flatIndex)] = value;
    }

    /// <summary>The elements copied into a new array.</summary>
    public T[] ToArray() => Span.ToArray();

    /// <inheritdoc />
    public override ReadOnlySpan<byte> AsBytes() => MemoryMarshal.AsBytes((ReadOnlySpan<T>)Span);

    /// <inheritdoc />
    public override unsafe MemoryHandle Pin()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        // Pooled buffers live on the pinned object heap: no GCHandle needed.
        return _rented is { } array ? new MemoryHandle(AlignedBufferPool<T>.Pointer(array, _offset)) : _memory.Pin();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (_disposed) return;
        _disposed = true;
        _memory = default;
        if (_rented is { } array)
        {
            _rented = null;
            AlignedBufferPool<T>.Return(array);
        }
    }

    private static void CheckLength(int length, TensorShape shape)
    {
        if (length != shape.ElementCount)
            throw new ArgumentException(
                $"A tensor of shape {shape} needs {shape.ElementCount} elements, the memory has {length}.", nameof(shape));
    }
}
