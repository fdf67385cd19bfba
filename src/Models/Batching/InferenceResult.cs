using Vigil.Models.Cards;
using Vigil.Models.Tensors;

namespace Vigil.Models.Batching;

/// <summary>
/// The outputs for one request, with the provenance of the exact model version that produced
/// them. Owns its tensors (pooled buffers): dispose when done.
/// </summary>
public sealed class InferenceResult : IDisposable
{
    internal InferenceResult(string requestId, ModelProvenance provenance, bool notForClinicalUse, IReadOnlyDictionary<string, Tensor> outputs)
    {
        RequestId = requestId;
        Provenance = provenance;
        NotForClinicalUse = notForClinicalUse;
        Outputs = outputs;
    }

    /// <summary>The request's identity (input identity).</summary>
    public string RequestId { get; }

    /// <summary>Model id, version and sha256 of the model that produced the outputs.</summary>
    public ModelProvenance Provenance { get; }

    /// <summary>True when the model's card marks it not for clinical use; displays must say so.</summary>
    public bool NotForClinicalUse { get; }

    /// <summary>Output tensors by name, with the request's own batch size as the leading dimension.</summary>
    public IReadOnlyDictionary<string, Tensor> Outputs { get; }

    /// <summary>The output <paramref name="name"/> as float32.</summary>
    public DenseTensor<float> Float(string name) =>
        Outputs.TryGetValue(name, out var t) ? t.As<float>()
            : throw new KeyNotFoundException($"Model {Provenance} has no output '{name}' (outputs: {string.Join(", ", Outputs.Keys)}).");

    /// <summary>Returns the output buffers to the pool.</summary>
    public void Dispose()
    {
        foreach (var t in Outputs.Values) t.Dispose();
    }
}
