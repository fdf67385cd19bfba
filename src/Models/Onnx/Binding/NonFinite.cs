using System.Numerics;
using System.Runtime.InteropServices;
using Vigil.Models.Tensors;

namespace Vigil.Models.Onnx.Binding;

/// <summary>
/// Finds NaN or infinite values in floating-point inputs before they reach a model: a result
/// computed from them could not be supported, so the input is refused with its position. Uses
/// x − x, which is 0 for every finite x and NaN otherwise, a vector at a time.
/// </summary>
internal static class NonFinite
{
    /// <summary>The flat index of the first NaN or ±Inf in <paramref name="tensor"/>, or -1 (and -1 for non-float tensors).</summary>
    public static long IndexOf(Tensor tensor) => tensor.ElementType switch
    {
        TensorElementType.Float32 => IndexOf(MemoryMarshal.Cast<byte, float>(tensor.AsBytes())),
        TensorElementType.Float64 => IndexOf(MemoryMarshal.Cast<byte, double>(tensor.AsBytes())),
        TensorElementType.Float16 => IndexOfHalf(MemoryMarshal.Cast<byte, Half>(tensor.AsBytes())),
        _ => -1,
    };

    private static long IndexOf<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && values.Length >= Vector<T>.Count)
        {
            var vectors = MemoryMarshal.Cast<T, Vector<T>>(values);
            for (var v = 0; v < vectors.Length; v++)
            {
                var x = vectors[v];
                if (!Vector.EqualsAll(x - x, Vector<T>.Zero)) { i = v * Vector<T>.Count; break; }
                i = (v + 1) * Vector<T>.Count;
            }
        }
        for (; i < values.Length; i++)
            if (!T.IsFinite(values[i])) return i;
        return -1;
    }

    private static long IndexOfHalf(ReadOnlySpan<Half> values)
    {
        for (var i = 0; i < values.Length; i++)
            if (!Half.IsFinite(values[i])) return i;
        return -1;
    }
}
