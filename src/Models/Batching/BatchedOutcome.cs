namespace Vigil.Models.Batching;

/// <summary>
/// A stream element after batched inference: the original element with either its response or
/// the reason it has none (deadline missed, refused, model failure). A failed inference is data
/// on the stream, not a stream failure, so the graph keeps serving the other patients.
/// </summary>
/// <typeparam name="T">The stream element.</typeparam>
/// <typeparam name="TResponse">The model's response.</typeparam>
/// <param name="Element">The element the request was made for.</param>
/// <param name="Response">The response, or default when <paramref name="Error"/> is set.</param>
/// <param name="Error">Why there is no response; null on success.</param>
public sealed record BatchedOutcome<T, TResponse>(T Element, TResponse? Response, Exception? Error)
{
    /// <summary>True when a response is present.</summary>
    public bool Succeeded => Error is null;
}
