using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vigil.Cluster.Node;

/// <summary>Load of one model on one node, as reported in heartbeats.</summary>
/// <param name="Id">Model id.</param>
/// <param name="Version">Model version.</param>
/// <param name="Capacity">Batching capacity (the consumer prefetch).</param>
/// <param name="InHand">Requests held now (in-flight work).</param>
/// <param name="Processed">Requests answered since the node started.</param>
public sealed record ModelLoad(string Id, string Version, int Capacity, long InHand, long Processed);

/// <summary>
/// What a node says about itself every heartbeat interval on the heartbeat fanout exchange
/// (a small JSON control message; inference payloads are binary frames).
/// </summary>
/// <param name="Node">Node name.</param>
/// <param name="State"><c>up</c>, <c>draining</c> or <c>left</c>.</param>
/// <param name="Roles">Roles from cluster.conf.</param>
/// <param name="Models">Models served with their load.</param>
/// <param name="Ring">Patient ring the node's shard queue is on (empty without role shard).</param>
/// <param name="Patients">Patients whose state this node holds (shard role).</param>
/// <param name="WindowsProcessed">Patient windows processed (shard role).</param>
/// <param name="ProcessId">OS process id.</param>
/// <param name="SentAt">When the heartbeat was sent.</param>
/// <param name="TakenOver">Dead shard nodes whose queues this node consumes now (shard role).</param>
public sealed record NodeHeartbeat(
    string Node, string State, IReadOnlyList<string> Roles, IReadOnlyList<ModelLoad> Models,
    string Ring, int Patients, long WindowsProcessed, int ProcessId, DateTimeOffset SentAt,
    IReadOnlyList<string>? TakenOver = null)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>UTF-8 JSON encoding.</summary>
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    /// <summary>Parses a heartbeat; null when the bytes are not one.</summary>
    public static NodeHeartbeat? TryParse(ReadOnlySpan<byte> json)
    {
        try { return JsonSerializer.Deserialize<NodeHeartbeat>(json, Json); }
        catch (JsonException) { return null; }
    }
}
