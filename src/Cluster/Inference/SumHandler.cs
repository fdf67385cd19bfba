using Vigil.Models.Tensors;
using Vigil.Cluster.Wire;

namespace Vigil.Cluster.Inference;

/// <summary>
/// Built-in test model "sum": one float32 scalar per input tensor, the sum of its elements.
/// Rejects non-float32 or non-finite inputs with an error naming the tensor.
/// </summary>
public sealed class SumHandler(TimeSpan delayPerBatch) : IInferenceHandler
{
    /// <inheritdoc />
    public string ModelSha256 => BuiltInHandlers.Sha256Of("builtin:sum");

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<HandlerOutcome>> InferAsync(IReadOnlyList<InferenceRequest> batch, CancellationToken ct)
    {
        if (delayPerBatch > TimeSpan.Zero) await Task.Delay(delayPerBatch, ct).ConfigureAwait(false);
        var outcomes = new HandlerOutcome[batch.Count];
        for (int i = 0; i < batch.Count; i++) outcomes[i] = Sum(batch[i]);
        return outcomes;
    }

    private static HandlerOutcome Sum(InferenceRequest request)
    {
        var outputs = new List<WireTensor>(request.Inputs.Count);
        foreach (var input in request.Inputs)
        {
            if (input.DataType != TensorElementType.Float32)
                return HandlerOutcome.Fail($"input '{input.Name}' is {input.DataType}; model 'sum' takes Float32");
            double total = 0;
            foreach (var v in input.ToFloats())
            {
                if (!float.IsFinite(v)) return HandlerOutcome.Fail($"input '{input.Name}' contains a non-finite value ({v})");
                total += v;
            }
            outputs.Add(WireTensor.FromFloats($"sum_{input.Name}", [1], [(float)total]));
        }
        return HandlerOutcome.Ok(outputs);
    }
}
