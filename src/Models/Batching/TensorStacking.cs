using Vigil.Models.Tensors;

namespace Vigil.Models.Batching;

/// <summary>Concatenates tensors along the batch (first) dimension and slices them apart again, for any element type.</summary>
internal static class TensorStacking
{
    /// <summary>A new pooled tensor holding <paramref name="parts"/> one after another along dimension 0.</summary>
    public static unsafe Tensor Concatenate(IReadOnlyList<Tensor> parts, long total)
    {
        var first = parts[0];
        var dims = first.Shape.Dimensions.ToArray();
        dims[0] = total;
        var result = TensorFactory.Allocate(first.ElementType, new TensorShape(dims))
            ?? throw new NotSupportedException($"Cannot batch tensors of element type {first.ElementType}.");
        using var pin = result.Pin();
        var destination = new Span<byte>(pin.Pointer, checked((int)result.ByteLength));
        var offset = 0;
        foreach (var part in parts)
        {
            var bytes = part.AsBytes();
            bytes.CopyTo(destination[offset..]);
            offset += bytes.Length;
        }
        return result;
    }

    /// <summary>A new pooled tensor with rows [<paramref name="start"/>, start + <paramref name="count"/>) of <paramref name="source"/>.</summary>
    public static unsafe Tensor Slice(Tensor source, long start, long count)
    {
        var dims = source.Shape.Dimensions.ToArray();
        var rowBytes = source.Shape[0] == 0 ? 0 : source.ByteLength / source.Shape[0];
        dims[0] = count;
        var result = TensorFactory.Allocate(source.ElementType, new TensorShape(dims))
            ?? throw new NotSupportedException($"Cannot split tensors of element type {source.ElementType}.");
        using var pin = result.Pin();
        source.AsBytes().Slice(checked((int)(start * rowBytes)), checked((int)(count * rowBytes)))
            .CopyTo(new Span<byte>(pin.Pointer, checked((int)result.ByteLength)));
        return result;
    }
}
