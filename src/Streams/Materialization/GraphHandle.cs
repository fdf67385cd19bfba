using Vigil.Streams.Materialization;

namespace Vigil.Streams;

/// <summary>A running graph: its completion, cancellation, live metrics and dead letters.</summary>
public class GraphHandle
{
    private readonly MaterializationContext _context;

    internal GraphHandle(MaterializationContext context) => _context = context;

    /// <summary>The graph's name (used as the <c>graph</c> tag on metrics).</summary>
    public string Name => _context.GraphName;

    /// <summary>
    /// Completes when every stage finished: successfully when the stream completed, faulted with
    /// the first stage failure, canceled after <see cref="Cancel"/>.
    /// </summary>
    public Task Completion => _context.Completion;

    /// <summary>Stops every stage now; in-flight elements are abandoned. Prefer completing the source (or a KillSwitch) to drain.</summary>
    public void Cancel() => _context.Cancel();

    /// <summary>A snapshot of every stage's counters and processing-time percentiles.</summary>
    public IReadOnlyList<StageMetrics> Metrics => _context.Stages.Select(s => s.Snapshot()).ToArray();

    /// <summary>The most recent dead letters of this graph (up to 1024).</summary>
    public IReadOnlyList<DeadLetter> DeadLetters => _context.DeadLetters;

    /// <summary>
    /// Completes when every loop of the graph is parked on an incomplete wait or finished, i.e.
    /// nothing will move until something outside the graph acts. For tests and diagnostics.
    /// </summary>
    public Task WhenIdleAsync(CancellationToken cancellationToken = default) => _context.WhenIdleAsync(cancellationToken);

    internal MaterializationContext Context => _context;
}

/// <summary>A running graph with the materialized value of its sink.</summary>
public sealed class GraphHandle<TMat> : GraphHandle
{
    internal GraphHandle(MaterializationContext context, TMat value) : base(context) => Value = value;

    /// <summary>What the sink materialized (e.g. a Task of the collected list).</summary>
    public TMat Value { get; }
}
