using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;
using Vigil.Cluster.Broker;
using Vigil.Cluster.Configuration;

namespace Vigil.Cluster.Node;

/// <summary>Depth of one queue: messages ready (not yet delivered) and consumers attached.</summary>
/// <param name="Queue">Queue name.</param>
/// <param name="Ready">Messages waiting (a message can carry several requests).</param>
/// <param name="Consumers">Consumers attached.</param>
public sealed record QueueDepth(string Queue, uint Ready, uint Consumers);

/// <summary>What <c>vigil cluster status</c> shows: live nodes (from heartbeats) and queue depths.</summary>
/// <param name="Nodes">Latest heartbeat of each node heard while listening.</param>
/// <param name="Queues">Depths of the model and shard queues those nodes use.</param>
/// <param name="ListenedFor">How long heartbeats were collected.</param>
public sealed record ClusterStatus(IReadOnlyList<NodeHeartbeat> Nodes, IReadOnlyList<QueueDepth> Queues, TimeSpan ListenedFor)
{
    /// <summary>Collects heartbeats for <paramref name="listen"/>, then reads queue depths with passive declares.</summary>
    public static async Task<ClusterStatus> ReadAsync(ClusterConfig config, TimeSpan listen, CancellationToken ct = default)
    {
        await using var connection = await BrokerConnector.ConnectAsync(config, "vigil-status", TimeSpan.FromSeconds(5), ct).ConfigureAwait(false);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct).ConfigureAwait(false);
        await Topology.DeclareHeartbeatExchangeAsync(channel, ct).ConfigureAwait(false);
        var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true, cancellationToken: ct).ConfigureAwait(false)).QueueName;
        await channel.QueueBindAsync(queue, Topology.HeartbeatExchange, "", cancellationToken: ct).ConfigureAwait(false);
        var latest = new Dictionary<string, NodeHeartbeat>(StringComparer.Ordinal);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, e) =>
        {
            if (NodeHeartbeat.TryParse(e.Body.Span) is { } hb)
                lock (latest) if (!latest.TryGetValue(hb.Node, out var old) || old.SentAt <= hb.SentAt) latest[hb.Node] = hb;
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: true, consumer, ct).ConfigureAwait(false);
        await Task.Delay(listen, ct).ConfigureAwait(false);

        List<NodeHeartbeat> nodes;
        lock (latest) nodes = latest.Values.Where(n => n.State != "left").OrderBy(n => n.Node, StringComparer.Ordinal).ToList();
        var names = nodes.SelectMany(n => n.Models.Select(m => Topology.ModelQueue(m.Id, m.Version)))
            .Concat(nodes.Where(n => n.Ring.Length > 0).Select(n => Topology.ShardQueue(n.Ring, n.Node)))
            .Distinct().Order(StringComparer.Ordinal);
        var depths = new List<QueueDepth>();
        foreach (var name in names)
        {
            // A passive declare of a missing queue closes the channel: use a fresh one per queue.
            await using var probe = await connection.CreateChannelAsync(cancellationToken: ct).ConfigureAwait(false);
            try
            {
                var ok = await probe.QueueDeclarePassiveAsync(name, ct).ConfigureAwait(false);
                depths.Add(new QueueDepth(name, ok.MessageCount, ok.ConsumerCount));
            }
            catch (OperationInterruptedException) { }
        }
        return new ClusterStatus(nodes, depths, listen);
    }

    /// <summary>Human-readable table.</summary>
    public string ToText()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"nodes heard in {ListenedFor.TotalSeconds:0.#} s: {Nodes.Count}");
        sb.AppendLine($"{"node",-16} {"state",-9} {"roles",-12} {"pid",7} {"patients",8} {"windows",9}  models (id vN: capacity, in hand, answered)");
        foreach (var n in Nodes)
        {
            var models = n.Models.Count == 0 ? "-" : string.Join("; ", n.Models.Select(m => $"{m.Id} v{m.Version}: {m.Capacity}, {m.InHand}, {m.Processed}"));
            sb.AppendLine($"{n.Node,-16} {n.State,-9} {string.Join(",", n.Roles),-12} {n.ProcessId,7} {n.Patients,8} {n.WindowsProcessed,9}  {models}");
            if (n.TakenOver is { Count: > 0 } taken) sb.AppendLine($"{"",-16} took over the patients of dead node(s): {string.Join(", ", taken)}");
        }
        sb.AppendLine();
        sb.AppendLine($"{"queue",-48} {"ready",8} {"consumers",9}");
        foreach (var q in Queues) sb.AppendLine($"{q.Queue,-48} {q.Ready,8} {q.Consumers,9}");
        return sb.ToString();
    }

    /// <summary>JSON for scripts.</summary>
    public string ToJson() => JsonSerializer.Serialize(new
    {
        listened_s = ListenedFor.TotalSeconds,
        nodes = Nodes,
        queues = Queues.Select(q => new { queue = q.Queue, ready = q.Ready, consumers = q.Consumers }),
    }, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower });
}
