namespace Vigil.Models.Onnx;

/// <summary>How much ONNX Runtime rewrites the graph when loading (values as in ORT's <c>GraphOptimizationLevel</c>).</summary>
public enum OnnxGraphOptimizationLevel
{
    /// <summary>No graph optimisation.</summary>
    Disabled = 0,
    /// <summary>Semantics-preserving rewrites such as constant folding.</summary>
    Basic = 1,
    /// <summary>Basic plus node fusions.</summary>
    Extended = 2,
    /// <summary>Everything, including layout optimisations.</summary>
    All = 99,
}
