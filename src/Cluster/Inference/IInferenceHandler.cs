using Vigil.Cluster.Wire;

namespace Vigil.Cluster.Inference;

/// <summary>
/// What a serving node calls once per batch of requests for one model. Implementations: the
/// built-in test models (<see cref="EchoHandler"/>, <see cref="SumHandler"/>) and
/// <see cref="OnnxHandler"/> (an ONNX Runtime session).
/// </summary>
public interface IInferenceHandler
{
    /// <summary>Hex sha256 of the model artefact, carried in every result as provenance.</summary>
    string ModelSha256 { get; }

    /// <summary>
    /// Runs the model on <paramref name="batch"/>; returns one outcome per request, in order.
    /// A bad input fails only its own request (an outcome with an error), not the batch.
    /// <para>When the node is idle this may be called inside the broker consumer's callback (the
    /// idle fast path): a long computation should yield at its first await (the ONNX handler runs on
    /// the thread pool), so that deliveries arriving meanwhile queue up and are batched.</para>
    /// </summary>
    ValueTask<IReadOnlyList<HandlerOutcome>> InferAsync(IReadOnlyList<InferenceRequest> batch, CancellationToken ct);
}

/// <summary>The handler's answer for one request: outputs, or an error saying what was wrong.</summary>
/// <param name="Outputs">Output tensors (empty on error).</param>
/// <param name="Error">Null when the request succeeded.</param>
public readonly record struct HandlerOutcome(IReadOnlyList<WireTensor> Outputs, string? Error)
{
    /// <summary>A successful outcome.</summary>
    public static HandlerOutcome Ok(IReadOnlyList<WireTensor> outputs) => new(outputs, null);
    /// <summary>A failed outcome.</summary>
    public static HandlerOutcome Fail(string error) => new([], error);
}
