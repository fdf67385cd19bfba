using Vigil.Cluster.Wire;
using Vigil.Streams;

namespace Vigil.Cluster.Inference;

/// <summary>
/// Remote inference as a stream stage: each request goes through a <see cref="RemoteInferenceClient"/>,
/// with at most <c>parallelism</c> outstanding from this stage (and the client's own in-flight bound
/// across stages), results in input order. Every element yields exactly one result; failures are
/// results with a status and a reason, so one bad request does not stop the stream.
/// </summary>
public static class RemoteInferenceStages
{
    /// <summary>Runs each request remotely.</summary>
    public static Source<InferenceResult> InferRemotely(this Source<InferenceRequest> source, RemoteInferenceClient client, int parallelism) =>
        source.SelectAsync(parallelism, r => client.InferAsync(r));

    /// <summary>Runs each request remotely.</summary>
    public static Flow<TIn, InferenceResult> InferRemotely<TIn>(this Flow<TIn, InferenceRequest> flow, RemoteInferenceClient client, int parallelism) =>
        flow.SelectAsync(parallelism, r => client.InferAsync(r));
}
