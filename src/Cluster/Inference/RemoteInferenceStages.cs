using Vigil.Cluster.Wire;
using Akka.Streams.Dsl;

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
    public static Source<InferenceResult, TMat> InferRemotely<TMat>(this Source<InferenceRequest, TMat> source, RemoteInferenceClient client, int parallelism) =>
        source.SelectAsync(parallelism, r => client.InferAsync(r));

    /// <summary>Runs each request remotely.</summary>
    public static Flow<TIn, InferenceResult, TMat> InferRemotely<TIn, TMat>(this Flow<TIn, InferenceRequest, TMat> flow, RemoteInferenceClient client, int parallelism) =>
        flow.SelectAsync(parallelism, r => client.InferAsync(r));
}
