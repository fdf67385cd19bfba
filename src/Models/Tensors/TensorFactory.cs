namespace Vigil.Models.Tensors;

/// <summary>Creates pooled tensors when the element type is only known at run time.</summary>
public static class TensorFactory
{
    /// <summary>
    /// A pooled, uninitialised tensor of <paramref name="type"/> and <paramref name="shape"/>, or
    /// null when dense tensors cannot hold that type (strings, complex, bfloat16).
    /// </summary>
    public static Tensor? Allocate(TensorElementType type, TensorShape shape) => type switch
    {
        TensorElementType.Float32 => DenseTensor<float>.Allocate(shape, clear: false),
        TensorElementType.Float16 => DenseTensor<Half>.Allocate(shape, clear: false),
        TensorElementType.Float64 => DenseTensor<double>.Allocate(shape, clear: false),
        TensorElementType.Int64 => DenseTensor<long>.Allocate(shape, clear: false),
        TensorElementType.Int32 => DenseTensor<int>.Allocate(shape, clear: false),
        TensorElementType.Int16 => DenseTensor<short>.Allocate(shape, clear: false),
        TensorElementType.Int8 => DenseTensor<sbyte>.Allocate(shape, clear: false),
        TensorElementType.UInt64 => DenseTensor<ulong>.Allocate(shape, clear: false),
        TensorElementType.UInt32 => DenseTensor<uint>.Allocate(shape, clear: false),
        TensorElementType.UInt16 => DenseTensor<ushort>.Allocate(shape, clear: false),
        TensorElementType.UInt8 => DenseTensor<byte>.Allocate(shape, clear: false),
        TensorElementType.Bool => DenseTensor<bool>.Allocate(shape, clear: false),
        _ => null,
    };
}
