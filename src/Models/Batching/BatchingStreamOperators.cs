using Akka.Streams.Dsl;

namespace Vigil.Models.Batching;

/// <summary>
/// Stream operators that send elements through a shared dynamic batcher. Built on
/// Akka's <c>SelectAsync</c>: up to <c>parallelism</c> elements are in flight at once (so the batcher can
/// group up to that many from this stream, plus whatever other streams send to the same model)
/// and outcomes are emitted in upstream order. Emits when the element at the head has its outcome;
/// backpressures when <c>parallelism</c> requests are in flight and downstream does not pull;
/// completes when upstream completes and every outcome was emitted; cancels when downstream
/// cancels. Inference errors never fail the stream: they become a <see cref="BatchedOutcome{T, TResponse}"/>
/// with <c>Error</c> set.
/// </summary>
public static class BatchingStreamOperators
{
    /// <summary>Runs each element through <paramref name="batcher"/> (see the class summary for semantics).</summary>
    /// <param name="source">The upstream source.</param>
    /// <param name="batcher">The model's batcher, usually shared by several streams.</param>
    /// <param name="parallelism">Most requests in flight from this stream; at least the batcher's max batch size to fill batches.</param>
    /// <param name="toRequest">Builds the request for an element.</param>
    /// <param name="deadline">The element's deadline (e.g. from its envelope); null for none.</param>
    /// <param name="priority">The element's priority; default 0.</param>
    /// <param name="requestId">The element's identity for errors; default the batcher's sequence number.</param>
    public static Source<BatchedOutcome<T, TResponse>, TMat> SelectBatched<T, TRequest, TResponse, TMat>(
        this Source<T, TMat> source, DynamicBatcher<TRequest, TResponse> batcher, int parallelism, Func<T, TRequest> toRequest,
        Func<T, DateTimeOffset?>? deadline = null, Func<T, int>? priority = null, Func<T, string>? requestId = null)
    {
        ArgumentNullException.ThrowIfNull(batcher);
        ArgumentNullException.ThrowIfNull(toRequest);
        return source.SelectAsync(parallelism, element => Outcome(element,
            () => batcher.InferAsync(toRequest(element), deadline?.Invoke(element), priority?.Invoke(element) ?? 0, requestId?.Invoke(element))));
    }

    /// <summary>Runs each element through an ONNX <paramref name="batcher"/>; results carry model provenance.</summary>
    /// <param name="source">The upstream source.</param>
    /// <param name="batcher">The model's batcher.</param>
    /// <param name="parallelism">Most requests in flight from this stream.</param>
    /// <param name="toRequest">Builds the request (inputs and request id) for an element.</param>
    /// <param name="deadline">The element's deadline; null for none.</param>
    /// <param name="priority">The element's priority; default 0.</param>
    public static Source<BatchedOutcome<T, InferenceResult>, TMat> SelectBatched<T, TMat>(
        this Source<T, TMat> source, ModelBatcher batcher, int parallelism, Func<T, InferenceRequest> toRequest,
        Func<T, DateTimeOffset?>? deadline = null, Func<T, int>? priority = null)
    {
        ArgumentNullException.ThrowIfNull(batcher);
        ArgumentNullException.ThrowIfNull(toRequest);
        return source.SelectAsync(parallelism, element => Outcome(element,
            () => batcher.InferAsync(toRequest(element), deadline?.Invoke(element), priority?.Invoke(element) ?? 0)));
    }

    /// <summary>Flow form of <see cref="SelectBatched{T, TRequest, TResponse, TMat}(Source{T, TMat}, DynamicBatcher{TRequest, TResponse}, int, Func{T, TRequest}, Func{T, DateTimeOffset?}?, Func{T, int}?, Func{T, string}?)"/>.</summary>
    /// <param name="flow">The upstream flow.</param>
    /// <param name="batcher">The model's batcher.</param>
    /// <param name="parallelism">Most requests in flight from this stream.</param>
    /// <param name="toRequest">Builds the request for an element.</param>
    /// <param name="deadline">The element's deadline; null for none.</param>
    public static Flow<TIn, BatchedOutcome<T, TResponse>, TMat> SelectBatched<TIn, T, TRequest, TResponse, TMat>(
        this Flow<TIn, T, TMat> flow, DynamicBatcher<TRequest, TResponse> batcher, int parallelism, Func<T, TRequest> toRequest,
        Func<T, DateTimeOffset?>? deadline = null)
    {
        ArgumentNullException.ThrowIfNull(batcher);
        ArgumentNullException.ThrowIfNull(toRequest);
        return flow.SelectAsync(parallelism, element => Outcome(element,
            () => batcher.InferAsync(toRequest(element), deadline?.Invoke(element))));
    }

    // Turns the request's failure into data so the stream keeps running.
    private static async Task<BatchedOutcome<T, TResponse>> Outcome<T, TResponse>(T element, Func<Task<TResponse>> infer)
    {
        try
        {
            return new BatchedOutcome<T, TResponse>(element, await infer().ConfigureAwait(false), null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new BatchedOutcome<T, TResponse>(element, default, e);
        }
    }
}
