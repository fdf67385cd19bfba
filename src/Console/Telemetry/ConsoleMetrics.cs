using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Vigil.WardConsole.Telemetry;

/// <summary>
/// The console's instruments on the meter <see cref="MeterName"/>, exported by OpenTelemetry to
/// <c>/metrics</c> (Prometheus) and, when configured, OTLP: per-stage throughput, queue depths,
/// live-client count and drops, API latency, store losses.
/// </summary>
public sealed class ConsoleMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Vigil.Console";

    private readonly Meter _meter = new(MeterName, "1.0");
    // Queue name → reads its depth when scraped.
    private readonly ConcurrentDictionary<string, Func<long>> _queues = new(StringComparer.Ordinal);

    /// <summary>Creates the instruments; <paramref name="liveClients"/> reads the live-client count when scraped.</summary>
    public ConsoleMetrics(Func<int>? liveClients = null)
    {
        StageItems = _meter.CreateCounter<long>("vigil.stage.items", "{item}", "items through each stage (tag stage: ppg.ingest, ppg.result, alerts.raised)");
        EventsPublished = _meter.CreateCounter<long>("vigil.live.events", "{event}", "events offered to live clients");
        LiveDrops = _meter.CreateCounter<long>("vigil.live.dropped", "{event}", "events a live client lost because it did not keep up");
        ApiDuration = _meter.CreateHistogram<double>("vigil.api.duration", "ms", "time to answer an API or FHIR request (tag route)");
        _meter.CreateObservableGauge("vigil.live.clients", () => LiveClients?.Invoke() ?? 0, "{client}", "connected live (SSE) clients");
        LiveClients = liveClients;
        _meter.CreateObservableGauge("vigil.queue.depth", () => _queues.Select(q => new Measurement<long>(q.Value(), new KeyValuePair<string, object?>("queue", q.Key))),
            "{item}", "items waiting in a queue (tag queue: ppg.ingest, store.writes, live.client.max)");
        _meter.CreateObservableCounter("vigil.inference.batches", () => InferenceBatches?.Batches() ?? 0, "{batch}", "model calls (batches) of this node's model servers");
        _meter.CreateObservableCounter("vigil.inference.batched_requests", () => InferenceBatches?.Requests() ?? 0, "{request}", "requests in those model calls (ratio of rates: mean batch size)");
        _meter.CreateObservableCounter("vigil.store.lost", () => StoreLost?.Invoke() ?? 0, "{write}", "store writes given up (queue full or the store failing)");
    }

    /// <summary>
    /// Reads model calls and the requests in them (set by a host that serves models, e.g. <c>vigil node</c>):
    /// exported as <c>vigil.inference.batches</c> and <c>vigil.inference.batched_requests</c>, whose rates'
    /// ratio is the mean inference batch size.
    /// </summary>
    public (Func<long> Batches, Func<long> Requests)? InferenceBatches { get; set; }

    /// <summary>Reports the depth of queue <paramref name="name"/> (read by <paramref name="depth"/> when scraped) under <c>vigil.queue.depth</c>.</summary>
    public void ObserveQueue(string name, Func<long> depth) => _queues[name] = depth;

    /// <summary>Reads the count of store writes given up (set once the store is open).</summary>
    public Func<long>? StoreLost { get; set; }

    /// <summary>Reads the live-client count (set once the hub exists).</summary>
    public Func<int>? LiveClients { get; set; }

    /// <summary>Items per stage.</summary>
    public Counter<long> StageItems { get; }

    /// <summary>Events offered to live clients.</summary>
    public Counter<long> EventsPublished { get; }

    /// <summary>Events dropped for slow live clients.</summary>
    public Counter<long> LiveDrops { get; }

    /// <summary>API latency.</summary>
    public Histogram<double> ApiDuration { get; }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
