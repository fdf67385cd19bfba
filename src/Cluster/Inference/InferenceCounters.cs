namespace Vigil.Cluster.Inference;

/// <summary>Node-wide inference counters (status output).</summary>
public sealed class InferenceCounters
{
    private long _servingInFlight, _served, _requestedInFlight, _batches, _batchedRequests;

    /// <summary>Requests this node's model servers hold (pulled, not yet answered).</summary>
    public long ServingInFlight => Interlocked.Read(ref _servingInFlight);
    /// <summary>Requests this node's model servers answered.</summary>
    public long Served => Interlocked.Read(ref _served);
    /// <summary>Requests this node sent and is waiting on.</summary>
    public long RequestedInFlight => Interlocked.Read(ref _requestedInFlight);

    /// <summary>Model calls this node's servers made (each one batch).</summary>
    public long Batches => Interlocked.Read(ref _batches);
    /// <summary>Requests in those calls: <see cref="BatchedRequests"/> / <see cref="Batches"/> is the mean inference batch size.</summary>
    public long BatchedRequests => Interlocked.Read(ref _batchedRequests);

    internal void BatchRun(int size) { Interlocked.Increment(ref _batches); Interlocked.Add(ref _batchedRequests, size); }
    internal void ServingStarted(int n) => Interlocked.Add(ref _servingInFlight, n);
    internal void ServingDone(int n) { Interlocked.Add(ref _servingInFlight, -n); Interlocked.Add(ref _served, n); }
    internal void RequestStarted() => Interlocked.Increment(ref _requestedInFlight);
    internal void RequestDone() => Interlocked.Decrement(ref _requestedInFlight);
}
