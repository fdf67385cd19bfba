using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Vigil.WardConsole.Telemetry;

namespace Vigil.WardConsole.Live;

/// <summary>
/// Fans ward events out to live (Server-Sent Events) clients. Each client has its own bounded
/// queue: <see cref="Publish"/> only tries to enqueue, so a client that does not keep up loses
/// events (counted per client and in the metrics) and never slows the graph that published them.
/// Every event carries a ward-wide sequence number, so a client can see that it lost some.
/// </summary>
public sealed class LiveHub
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly ConcurrentDictionary<long, LiveClient> _clients = new();
    private readonly int _buffer;
    private readonly ConsoleMetrics _metrics;
    private long _nextClient, _sequence;

    /// <summary>Creates the hub; each client may hold <paramref name="clientBuffer"/> unsent events.</summary>
    public LiveHub(int clientBuffer, ConsoleMetrics metrics)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(clientBuffer, 1);
        _buffer = clientBuffer;
        _metrics = metrics;
    }

    /// <summary>Connected clients.</summary>
    public int ClientCount => _clients.Count;

    /// <summary>Events waiting for the slowest connected client.</summary>
    public int LongestQueue => _clients.Values.Select(c => c.Queue.Reader.Count).DefaultIfEmpty().Max();

    /// <summary>Events published so far.</summary>
    public long Published => Interlocked.Read(ref _sequence);

    /// <summary>Connects a client; <paramref name="patientId"/> limits it to one patient's events (null: all).</summary>
    public LiveClient Connect(string? patientId)
    {
        var id = Interlocked.Increment(ref _nextClient);
        var client = new LiveClient(id, patientId, Channel.CreateBounded<LiveEvent>(new BoundedChannelOptions(_buffer)
        {
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails instead of waiting: that is the drop.
            SingleReader = true,
        }), this);
        _clients[id] = client;
        return client;
    }

    /// <summary>Serialises <paramref name="payload"/> once and offers it to every client; never blocks.</summary>
    public void Publish<T>(string type, T payload) where T : class
    {
        var seq = Interlocked.Increment(ref _sequence);
        var patient = payload switch
        {
            Ward.HeartRatePoint h => h.PatientId,
            Ward.WardAlert a => a.PatientId,
            IPatientEvent e => e.PatientId,
            _ => null,
        };
        var evt = new LiveEvent(seq, type, patient, JsonSerializer.Serialize(payload, Json));
        _metrics.EventsPublished.Add(1);
        using var span = ConsoleTracing.Source.StartActivity("live.fanout");
        int offered = 0, dropped = 0;
        foreach (var c in _clients.Values)
        {
            if (c.PatientId is not null && c.PatientId != patient) continue;
            offered++;
            if (!c.Queue.Writer.TryWrite(evt))
            {
                dropped++;
                c.CountDrop();
                _metrics.LiveDrops.Add(1);
            }
        }
        if (span is not null)
        {
            span.SetTag("vigil.event", type);
            span.SetTag("vigil.live.offered", offered);
            span.SetTag("vigil.live.dropped", dropped);
        }
    }

    internal void Disconnect(LiveClient client)
    {
        _clients.TryRemove(client.Id, out _);
        client.Queue.Writer.TryComplete();
    }
}

/// <summary>One event as sent: sequence number, type (<c>hr</c>, <c>alert</c>, <c>ack</c>), patient and JSON body.</summary>
/// <param name="Sequence">Ward-wide sequence number (gaps mean this client missed events).</param>
/// <param name="Type">Event type.</param>
/// <param name="PatientId">Whose event, or null.</param>
/// <param name="Json">The payload.</param>
public sealed record LiveEvent(long Sequence, string Type, string? PatientId, string Json);

/// <summary>A connected live client: its queue and the events it lost.</summary>
public sealed class LiveClient : IDisposable
{
    private readonly LiveHub _hub;
    private long _dropped;

    internal LiveClient(long id, string? patientId, Channel<LiveEvent> queue, LiveHub hub)
    {
        Id = id; PatientId = patientId; Queue = queue; _hub = hub;
    }

    /// <summary>Client number.</summary>
    public long Id { get; }

    /// <summary>Patient filter, or null for all.</summary>
    public string? PatientId { get; }

    internal Channel<LiveEvent> Queue { get; }

    /// <summary>The events waiting to be sent.</summary>
    public ChannelReader<LiveEvent> Events => Queue.Reader;

    /// <summary>Events this client lost because its queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    internal void CountDrop() => Interlocked.Increment(ref _dropped);

    /// <summary>Disconnects the client.</summary>
    public void Dispose() => _hub.Disconnect(this);
}
