namespace Vigil.Models.Batching;

/// <summary>A request's deadline passed before its batch started; it was not run.</summary>
public sealed class DeadlineExceededException(string modelId, string requestId, DateTimeOffset deadline, TimeSpan waited)
    : TimeoutException($"Request '{requestId}' for model '{modelId}' missed its deadline {deadline:yyyy-MM-ddTHH:mm:ss.fffZ} " +
                       $"after waiting {waited.TotalMilliseconds:0.###} ms in the queue; it was not run.")
{
    /// <summary>The model the request was for.</summary>
    public string ModelId { get; } = modelId;
    /// <summary>The request's id.</summary>
    public string RequestId { get; } = requestId;
    /// <summary>The deadline that passed.</summary>
    public DateTimeOffset Deadline { get; } = deadline;
}
