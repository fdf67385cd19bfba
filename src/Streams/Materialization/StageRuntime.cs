using System.Diagnostics;
using Vigil.Streams.Metrics;

namespace Vigil.Streams.Materialization;

/// <summary>
/// One materialized stage's identity, counters and supervision. Counters are plain fields
/// written by the single thread that runs the stage and read racily by metrics collection.
/// </summary>
internal sealed class StageRuntime
{
    // Processing time is sampled on one element in 64 so timing costs nothing measurable.
    private const long SampleMask = 63;
    private readonly MaterializationContext _context;
    private readonly Decider _decider;
    private long _sampleCounter;

    public StageRuntime(MaterializationContext context, string name, string kind, Decider decider)
    {
        _context = context;
        Name = name;
        Kind = kind;
        _decider = decider;
    }

    public string Name { get; }
    public string Kind { get; }
    public long In;
    public long Out;
    public long Dropped;
    public long DeadLettered;
    public long Restarts;
    public Func<int>? QueueDepth { get; set; }
    public LatencyHistogram ProcessingTime { get; } = new();
    public MaterializationContext Context => _context;

    /// <summary>Starts timing this element if it is a sampled one (returns 0 otherwise).</summary>
    public long SampleStart() => (++_sampleCounter & SampleMask) == 0 ? Stopwatch.GetTimestamp() : 0;

    public void SampleEnd(long start)
    {
        if (start != 0) ProcessingTime.Record((long)((Stopwatch.GetTimestamp() - start) * (1e9 / Stopwatch.Frequency)));
    }

    /// <summary>
    /// Applies supervision to an error raised for <paramref name="element"/>: on Stop throws a
    /// <see cref="StageFailedException"/>; otherwise dead-letters the element and returns the directive.
    /// </summary>
    public SupervisionDirective Handle(Exception error, object? element)
    {
        if (error is StageFailedException or OperationCanceledException) throw error;
        SupervisionDirective directive;
        try { directive = _decider(error); }
        catch (Exception deciderError) { throw new StageFailedException(Name, deciderError); }
        if (directive == SupervisionDirective.Stop) throw new StageFailedException(Name, error);
        DeadLetter(element, error, directive);
        if (directive == SupervisionDirective.Restart) Restarts++;
        return directive;
    }

    /// <summary>Sends an element to the dead letters without failing (policy refusals).</summary>
    public void DeadLetter(object? element, Exception reason, SupervisionDirective directive = SupervisionDirective.Resume)
    {
        DeadLettered++;
        _context.PublishDeadLetter(new DeadLetter(Name, element, reason, directive, _context.TimeProvider.GetUtcNow()));
    }

    public StageMetrics Snapshot() => new(Name, Kind, Volatile.Read(ref In), Volatile.Read(ref Out),
        Volatile.Read(ref Dropped), Volatile.Read(ref DeadLettered), Volatile.Read(ref Restarts),
        QueueDepth?.Invoke() ?? 0, ProcessingTime.Percentile(0.50), ProcessingTime.Percentile(0.95), ProcessingTime.Percentile(0.99));
}
