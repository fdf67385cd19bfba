using System.Diagnostics.Metrics;
using Vigil.Streams.Materialization;

namespace Vigil.Streams;

/// <summary>
/// Turns graph blueprints into running graphs. Holds the clock, defaults and the
/// <see cref="Meter"/> through which every live graph's stage metrics are published:
/// <c>vigil.streams.stage.elements_in/out</c>, <c>.dropped</c>, <c>.dead_lettered</c> (counters),
/// <c>.queue_depth</c> and <c>.processing_time</c> (ms, tagged quantile=p50/p95/p99), each tagged
/// with <c>graph</c>, <c>stage</c> and <c>kind</c>.
/// </summary>
public sealed class Materializer : IDisposable
{
    private readonly List<GraphHandle> _live = new();
    private int _graphCounter;

    /// <summary>Creates a materializer.</summary>
    public Materializer(MaterializerOptions? options = null)
    {
        Options = options ?? new MaterializerOptions();
        if (Options.DefaultBufferSize < 1) throw new ArgumentOutOfRangeException(nameof(options), "DefaultBufferSize must be at least 1.");
        Meter = new Meter(Options.MeterName);
        Meter.CreateObservableCounter("vigil.streams.stage.elements_in", () => Observe(s => s.ElementsIn), "{element}", "Elements a stage took from upstream");
        Meter.CreateObservableCounter("vigil.streams.stage.elements_out", () => Observe(s => s.ElementsOut), "{element}", "Elements a stage emitted");
        Meter.CreateObservableCounter("vigil.streams.stage.dropped", () => Observe(s => s.Dropped), "{element}", "Elements dropped by an overflow strategy");
        Meter.CreateObservableCounter("vigil.streams.stage.dead_lettered", () => Observe(s => s.DeadLettered), "{element}", "Elements sent to dead letters");
        Meter.CreateObservableGauge("vigil.streams.stage.queue_depth", () => Observe(s => (long)s.QueueDepth), "{element}", "Elements buffered in a stage");
        Meter.CreateObservableGauge("vigil.streams.stage.processing_time", ObserveProcessingTime, "ms", "Sampled per-element processing time");
    }

    /// <summary>The options this materializer was created with.</summary>
    public MaterializerOptions Options { get; }

    /// <summary>The meter publishing stage metrics.</summary>
    public Meter Meter { get; }

    /// <summary>Graphs that are still running.</summary>
    public IReadOnlyList<GraphHandle> LiveGraphs { get { lock (_live) return _live.ToArray(); } }

    /// <summary>Materializes and starts <paramref name="graph"/>.</summary>
    /// <exception cref="GraphValidationException">The graph could deadlock or is miswired.</exception>
    public GraphHandle<TMat> Materialize<TMat>(RunnableGraph<TMat> graph, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var context = NewContext(name);
        TMat value;
        try
        {
            value = graph.Build(context);
            context.Seal();
        }
        catch
        {
            context.Cancel();
            throw;
        }
        return Track(new GraphHandle<TMat>(context, value));
    }

    /// <summary>
    /// Materializes several graphs as one (they may share fan-out hubs, e.g. the outputs of one
    /// Broadcast going to different sinks) and returns one handle for them all.
    /// </summary>
    public GraphHandle<object?[]> Materialize(string? name, params IRunnableGraph[] graphs)
    {
        ArgumentNullException.ThrowIfNull(graphs);
        var context = NewContext(name);
        object?[] values;
        try
        {
            values = graphs.Select(g => g.BuildUntyped(context)).ToArray();
            context.Seal();
        }
        catch
        {
            context.Cancel();
            throw;
        }
        return Track(new GraphHandle<object?[]>(context, values));
    }

    private MaterializationContext NewContext(string? name) =>
        new(this, name ?? $"graph-{Interlocked.Increment(ref _graphCounter)}");

    private T Track<T>(T handle) where T : GraphHandle
    {
        lock (_live) _live.Add(handle);
        handle.Completion.ContinueWith(_ => { lock (_live) _live.Remove(handle); }, TaskScheduler.Default);
        return handle;
    }

    private IEnumerable<Measurement<long>> Observe(Func<StageMetrics, long> value)
    {
        foreach (var graph in LiveGraphs)
            foreach (var stage in graph.Metrics)
                yield return new Measurement<long>(value(stage), Tags(graph, stage));
    }

    private IEnumerable<Measurement<double>> ObserveProcessingTime()
    {
        foreach (var graph in LiveGraphs)
            foreach (var stage in graph.Metrics)
            {
                yield return new Measurement<double>(stage.ProcessingP50.TotalMilliseconds, [.. Tags(graph, stage), new("quantile", "p50")]);
                yield return new Measurement<double>(stage.ProcessingP95.TotalMilliseconds, [.. Tags(graph, stage), new("quantile", "p95")]);
                yield return new Measurement<double>(stage.ProcessingP99.TotalMilliseconds, [.. Tags(graph, stage), new("quantile", "p99")]);
            }
    }

    private static KeyValuePair<string, object?>[] Tags(GraphHandle graph, StageMetrics stage) =>
        [new("graph", graph.Name), new("stage", stage.Stage), new("kind", stage.Kind)];

    /// <summary>Cancels every live graph and disposes the meter.</summary>
    public void Dispose()
    {
        foreach (var graph in LiveGraphs) graph.Cancel();
        Meter.Dispose();
    }
}

/// <summary>Any runnable graph, whatever its materialized value (for materializing several together).</summary>
public interface IRunnableGraph
{
    internal object? BuildUntyped(MaterializationContext context);
}
