using Vigil.Cluster.Wire;

namespace Vigil.Cluster.Inference;

/// <summary>
/// Built-in test model "echo": returns its inputs unchanged (renamed <c>out_N</c>) after an
/// optional artificial delay per batch, which makes the "slow model" of the scenario tests.
/// </summary>
public sealed class EchoHandler(TimeSpan delayPerBatch) : IInferenceHandler
{
    /// <inheritdoc />
    public string ModelSha256 => BuiltInHandlers.Sha256Of("builtin:echo");

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<HandlerOutcome>> InferAsync(IReadOnlyList<InferenceRequest> batch, CancellationToken ct)
    {
        if (delayPerBatch > TimeSpan.Zero) await Task.Delay(delayPerBatch, ct).ConfigureAwait(false);
        var outcomes = new HandlerOutcome[batch.Count];
        for (int i = 0; i < batch.Count; i++)
            outcomes[i] = HandlerOutcome.Ok(batch[i].Inputs
                .Select((t, k) => new WireTensor($"out_{k}", t.DataType, t.Shape, t.Data)).ToList());
        return outcomes;
    }
}
