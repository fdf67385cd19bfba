namespace Vigil.Cluster.Inference;

/// <summary>Node-wide inference counters (status output).</summary>
public sealed class InferenceCounters
{
    private long _servingInFlight, _served, _requestedInFlight;

    /// <summary>Requests this node's model servers hold (pulled, not yet answered).</summary>
    public long ServingInFlight => Interlocked.Read(ref _servingInFlight);
    /// <summary>Requests this node's model servers answered.</summary>
    public long Served => Interlocked.Read(ref _served);
    /// <summary>Requests this node sent and is waiting on.</summary>
    public long RequestedInFlight => Interlocked.Read(ref _requestedInFlight);

    internal void ServingStarted(int n) => Interlocked.Add(ref _servingInFlight, n);
    internal void ServingDone(int n) { Interlocked.Add(ref _servingInFlight, -n); Interlocked.Add(ref _served, n); }
    internal void RequestStarted() => Interlocked.Increment(ref _requestedInFlight);
    internal void RequestDone() => Interlocked.Decrement(ref _requestedInFlight);
}
