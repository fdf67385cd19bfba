using Vigil.Models.Tensors;

namespace Vigil.Models.Batching;

/// <summary>
/// One caller's inputs for a model, each with a leading batch dimension (usually 1). The caller
/// keeps ownership of the tensors and must keep them alive until the request completes.
/// </summary>
/// <param name="RequestId">Identity of the input (e.g. patient/frame id), used in errors and carried by the result.</param>
/// <param name="Inputs">Tensor per model input name.</param>
public sealed record InferenceRequest(string RequestId, IReadOnlyDictionary<string, Tensor> Inputs)
{
    /// <summary>A request for a single-input model.</summary>
    public static InferenceRequest Single(string requestId, string inputName, Tensor input) =>
        new(requestId, new Dictionary<string, Tensor>(StringComparer.Ordinal) { [inputName] = input });
}
