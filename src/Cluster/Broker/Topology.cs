using RabbitMQ.Client;

namespace Vigil.Cluster.Broker;

/// <summary>
/// Names and declarations of the broker objects the cluster uses. Declarations are idempotent and
/// made by whichever side comes first (a requester declares the model queue so that requests wait
/// durably for a node that has not started yet).
/// </summary>
public static class Topology
{
    /// <summary>Fanout exchange carrying node heartbeats.</summary>
    public const string HeartbeatExchange = "vigil.cluster.heartbeats";
    /// <summary>Consistent-hash exchange routing patient windows by patient id.</summary>
    public const string PatientExchange = "vigil.patients";
    /// <summary>Fanout exchange for shard control messages (state requests).</summary>
    public const string ShardControlExchange = "vigil.shard.control";

    /// <summary>The durable quorum queue of requests for one model version.</summary>
    public static string ModelQueue(string modelId, string version) => $"vigil.infer.{modelId}.v{version}";

    /// <summary>A requester's reply queue.</summary>
    public static string ReplyQueue(string clientName) => $"vigil.reply.{clientName}";

    /// <summary>A shard node's queue on the patient ring.</summary>
    public static string ShardQueue(string nodeName) => $"vigil.shard.{nodeName}";

    /// <summary>Declares the quorum request queue of a model.</summary>
    public static Task DeclareModelQueueAsync(IChannel channel, string modelId, string version, CancellationToken ct = default) =>
        channel.QueueDeclareAsync(ModelQueue(modelId, version), durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" }, cancellationToken: ct);

    /// <summary>
    /// Declares a reply queue: durable so results confirmed to it survive a broker restart, and
    /// expiring after <paramref name="unusedExpiry"/> without consumers so a dead requester's queue goes away.
    /// </summary>
    public static Task DeclareReplyQueueAsync(IChannel channel, string clientName, TimeSpan unusedExpiry, CancellationToken ct = default) =>
        channel.QueueDeclareAsync(ReplyQueue(clientName), durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-expires"] = (int)unusedExpiry.TotalMilliseconds }, cancellationToken: ct);

    /// <summary>Declares the heartbeat fanout exchange.</summary>
    public static Task DeclareHeartbeatExchangeAsync(IChannel channel, CancellationToken ct = default) =>
        channel.ExchangeDeclareAsync(HeartbeatExchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: ct);
}
