using System.Diagnostics.Metrics;

namespace Vigil.WardConsole.Telemetry;

/// <summary>
/// The console's instruments on the meter <see cref="MeterName"/>, exported by OpenTelemetry to
/// <c>/metrics</c> (Prometheus) and, when configured, OTLP: per-stage throughput, live-client count
/// and drops, API latency.
/// </summary>
public sealed class ConsoleMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Vigil.Console";

    private readonly Meter _meter = new(MeterName, "1.0");

    /// <summary>Creates the instruments; <paramref name="liveClients"/> reads the live-client count when scraped.</summary>
    public ConsoleMetrics(Func<int>? liveClients = null)
    {
        StageItems = _meter.CreateCounter<long>("vigil.stage.items", "{item}", "items through each stage (tag stage: ppg.ingest, ppg.result, alerts.raised)");
        EventsPublished = _meter.CreateCounter<long>("vigil.live.events", "{event}", "events offered to live clients");
        LiveDrops = _meter.CreateCounter<long>("vigil.live.dropped", "{event}", "events a live client lost because it did not keep up");
        ApiDuration = _meter.CreateHistogram<double>("vigil.api.duration", "ms", "time to answer an API or FHIR request (tag route)");
        _meter.CreateObservableGauge("vigil.live.clients", () => LiveClients?.Invoke() ?? 0, "{client}", "connected live (SSE) clients");
        LiveClients = liveClients;
    }

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
