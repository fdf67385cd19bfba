using Vigil.Models.Tensors;
using System.Runtime.InteropServices;

namespace Vigil.Cluster.Wire;

/// <summary>
/// A named dense tensor as it crosses the broker: element type, shape and the raw little-endian
/// element bytes (row-major). The constructor checks that the bytes match the shape.
/// </summary>
public sealed class WireTensor
{
    /// <summary>Tensor name (model input or output name).</summary>
    public string Name { get; }
    /// <summary>Element type.</summary>
    public TensorElementType DataType { get; }
    /// <summary>Dimensions, each ≥ 0.</summary>
    public IReadOnlyList<int> Shape { get; }
    /// <summary>Raw element bytes, row-major, little-endian.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>Creates a tensor; throws when the byte count does not match the shape and type.</summary>
    public WireTensor(string name, TensorElementType dataType, IReadOnlyList<int> shape, ReadOnlyMemory<byte> data)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (System.Text.Encoding.UTF8.GetByteCount(name) > 255) throw new ArgumentException($"tensor name '{name}' is longer than 255 bytes", nameof(name));
        if (TensorElementTypes.SizeOf(dataType) == 0)
            throw new ArgumentException($"tensor '{name}' has element type {dataType}, which has no fixed size and cannot cross the wire", nameof(dataType));
        if (shape.Count > 32) throw new ArgumentException($"tensor '{name}' has rank {shape.Count}; at most 32", nameof(shape));
        long elements = 1;
        foreach (var d in shape)
        {
            if (d < 0) throw new ArgumentException($"tensor '{name}' has a negative dimension in [{string.Join(",", shape)}]", nameof(shape));
            elements *= d;
        }
        long expected = elements * TensorElementTypes.SizeOf(dataType);
        if (expected != data.Length)
            throw new ArgumentException($"tensor '{name}' of shape [{string.Join(",", shape)}] {dataType} needs {expected} bytes, got {data.Length}", nameof(data));
        Name = name; DataType = dataType; Shape = shape.ToArray(); Data = data;
    }

    /// <summary>A float32 tensor copied from <paramref name="values"/>.</summary>
    public static WireTensor FromFloats(string name, IReadOnlyList<int> shape, ReadOnlySpan<float> values) =>
        new(name, TensorElementType.Float32, shape, MemoryMarshal.AsBytes(values).ToArray());

    /// <summary>The elements as float32 (throws unless <see cref="DataType"/> is Float32).</summary>
    public float[] ToFloats()
    {
        if (DataType != TensorElementType.Float32) throw new InvalidOperationException($"tensor '{Name}' is {DataType}, not Float32");
        return MemoryMarshal.Cast<byte, float>(Data.Span).ToArray();
    }

    /// <summary>Number of elements.</summary>
    public long ElementCount => Data.Length / TensorElementTypes.SizeOf(DataType);
}
