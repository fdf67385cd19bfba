namespace Vigil.Models.Batching;

/// <summary>
/// Runs one batch: returns exactly one response per request, in the same order as
/// <paramref name="batch"/>.
/// </summary>
/// <param name="batch">The requests, highest priority first, then in arrival order.</param>
/// <param name="cancellation">
/// Not signalled by <see cref="DynamicBatcher{TRequest, TResponse}"/> itself, which lets running
/// batches finish (disposal drains); handlers composed elsewhere may pass their own token.
/// </param>
public delegate ValueTask<IReadOnlyList<TResponse>> BatchHandler<TRequest, TResponse>(
    IReadOnlyList<TRequest> batch, CancellationToken cancellation);
