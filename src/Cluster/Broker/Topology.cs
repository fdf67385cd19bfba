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

    /// <summary>The durable queue of requests for one model version (classic or quorum: see <see cref="RequestQueues"/>).</summary>
    public static string ModelQueue(string modelId, string version) => $"vigil.infer.{modelId}.v{version}";

    /// <summary>A requester's reply queue.</summary>
    public static string ReplyQueue(string clientName) => $"vigil.reply.{clientName}";

    /// <summary>A shard node's durable queue on the patient ring (the ring's consistent-hash exchange is named <paramref name="ring"/>).</summary>
    public static string ShardQueue(string ring, string nodeName) => $"{ring}.node.{nodeName}";

    /// <summary>Fanout exchange of a ring's control messages (state requests).</summary>
    public static string ShardControlExchange(string ring) => ring + ".control";

    /// <summary>Fanout exchange where shard nodes publish per-window outputs.</summary>
    public static string ShardResultsExchange(string ring) => ring + ".results";

    /// <summary>Declares a ring's exchanges: consistent-hash for windows, fanouts for control and outputs.</summary>
    public static async Task DeclareRingAsync(IChannel channel, string ring, CancellationToken ct = default)
    {
        await channel.ExchangeDeclareAsync(ring, "x-consistent-hash", durable: true, autoDelete: false, cancellationToken: ct).ConfigureAwait(false);
        await channel.ExchangeDeclareAsync(ShardControlExchange(ring), ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: ct).ConfigureAwait(false);
        await channel.ExchangeDeclareAsync(ShardResultsExchange(ring), ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Declares a reply queue: durable so results confirmed to it survive a broker restart, and
    /// expiring after <paramref name="unusedExpiry"/> without consumers so a dead requester's queue goes away.
    /// </summary>
    public static Task DeclareReplyQueueAsync(IChannel channel, string clientName, TimeSpan unusedExpiry, CancellationToken ct = default) =>
        channel.QueueDeclareAsync(ReplyQueue(clientName), durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-expires"] = (int)unusedExpiry.TotalMilliseconds }, cancellationToken: ct);

    /// <summary>
    /// Declares a shard node's queue: a durable quorum queue with a single active consumer, so that
    /// when survivors take over a dead node's queue (and when its owner returns) the broker lets only
    /// one consumer at a time receive its windows. A leftover queue without that flag is replaced
    /// when empty and unused, else the node refuses to start with an error naming it.
    /// </summary>
    public static Task DeclareShardQueueAsync(IConnection connection, string queue, Action<string>? log, CancellationToken ct = default) =>
        RequestQueues.DeclareOrReplaceAsync(connection, queue,
            new Dictionary<string, object?> { ["x-queue-type"] = "quorum", ["x-single-active-consumer"] = true },
            "a quorum queue with a single active consumer", "Let the node that owns it drain (SIGTERM) or", log, ct);

    /// <summary>Declares the heartbeat fanout exchange.</summary>
    public static Task DeclareHeartbeatExchangeAsync(IChannel channel, CancellationToken ct = default) =>
        channel.ExchangeDeclareAsync(HeartbeatExchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: ct);
}
