using Vigil.Models.Tensors;

namespace Vigil.Models.Onnx;

/// <summary>The declared name, element type and shape of a model input or output.</summary>
public sealed class OnnxTensorInfo
{
    /// <summary>Describes one input or output.</summary>
    public OnnxTensorInfo(string name, TensorElementType elementType, IReadOnlyList<OnnxDimension> dimensions, bool isTensor = true)
    {
        Name = name;
        ElementType = elementType;
        Dimensions = dimensions;
        IsTensor = isTensor;
    }

    /// <summary>The name used to bind it at run time.</summary>
    public string Name { get; }

    /// <summary>The element type.</summary>
    public TensorElementType ElementType { get; }

    /// <summary>The declared dimensions, fixed or symbolic.</summary>
    public IReadOnlyList<OnnxDimension> Dimensions { get; }

    /// <summary>False for non-tensor values (sequences, maps), which Vigil does not bind.</summary>
    public bool IsTensor { get; }

    /// <summary>Number of dimensions.</summary>
    public int Rank => Dimensions.Count;

    /// <summary>True when every dimension is fixed.</summary>
    public bool IsFixedShape => Dimensions.All(d => d.IsFixed);

    /// <summary>The shape when fixed; null when some dimension is symbolic.</summary>
    public TensorShape? FixedShape => IsFixedShape ? new TensorShape(Dimensions.Select(d => d.Size).ToArray()) : null;

    /// <summary>
    /// Why a tensor of <paramref name="type"/> and <paramref name="shape"/> cannot be bound here,
    /// or null when it can (same type, same rank, every fixed dimension equal).
    /// </summary>
    public string? Mismatch(TensorElementType type, TensorShape shape)
    {
        if (type != ElementType)
            return $"expects {TensorElementTypes.Name(ElementType)}, got {TensorElementTypes.Name(type)} (shape {shape}).";
        if (shape.Rank != Dimensions.Count)
            return $"expects rank {Dimensions.Count} {ShapeText}, got rank {shape.Rank} {shape}.";
        for (var i = 0; i < Dimensions.Count; i++)
            if (Dimensions[i].IsFixed && Dimensions[i].Size != shape[i])
                return $"expects shape {ShapeText}, got {shape} (dimension {i} must be {Dimensions[i].Size}).";
        return null;
    }

    /// <summary>The declared shape as <c>[batch,3,240,320]</c>.</summary>
    public string ShapeText => "[" + string.Join(",", Dimensions) + "]";

    /// <summary>Formats as <c>input: float32[batch,3,240,320]</c>.</summary>
    public override string ToString() => $"{Name}: {TensorElementTypes.Name(ElementType)}{ShapeText}";
}
