using Vigil.Models.Tensors;

namespace Vigil.Models.Onnx;

/// <summary>A tensor bound to a model input or output name for one run.</summary>
/// <param name="Name">The model's input or output name.</param>
/// <param name="Tensor">The tensor (not owned by this pair).</param>
public readonly record struct NamedTensor(string Name, Tensor Tensor);
