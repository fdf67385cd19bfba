using System.Text;
using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Configuration;
using Vigil.Cluster.Configuration;
using Vigil.Cluster.Messages;

namespace Vigil.Cluster.Node;

/// <summary>
/// The operator's side of <c>vigil cluster status</c> and <c>vigil cluster leave NODE</c>: a small
/// Akka.Remote client (not a cluster member, so it never disturbs membership or shards) that asks
/// the status endpoint of the first seed node that answers.
/// </summary>
public static class ClusterAdmin
{
    /// <summary>The cluster view as JSON (members, roles, reachability, shards, entities, in-flight work).</summary>
    public static async Task<JsonObject> StatusAsync(ClusterConfig config, TimeSpan timeout)
    {
        var answer = await AskAsync<StatusJson>(config, ClusterStatusQuery.Instance, timeout).ConfigureAwait(false);
        return JsonNode.Parse(answer.Json)!.AsObject();
    }

    /// <summary>Asks the cluster to let <paramref name="node"/> (a name or address) leave gracefully.</summary>
    public static async Task<(bool Ok, string Message)> LeaveAsync(ClusterConfig config, string node, TimeSpan timeout)
    {
        var answer = await AskAsync<LeaveAnswer>(config, new LeaveNode(node), timeout).ConfigureAwait(false);
        return (answer.Ok, answer.Message);
    }

    /// <summary>The status as a text table.</summary>
    public static string ToText(JsonObject status)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"cluster of {status["members"]!.AsArray().Count} members, leader {(string?)status["leader"] ?? "none"}");
        sb.AppendLine($"{"name",-12} {"status",-8} {"reachable",-9} {"roles",-24} {"shards",6} {"entities",8} {"edge in flight",14} {"infer in flight",15} address");
        foreach (var m in status["members"]!.AsArray())
        {
            string roles = string.Join(",", m!["roles"]!.AsArray().Select(r => (string?)r));
            string edge = m["edge_messages_in_flight"]?.ToString() ?? "-";
            string infer = m["inference_in_flight_served"] is { } s ? $"{s}/{m["inference_in_flight_requested"]}" : "-";
            sb.AppendLine($"{(string?)m["name"] ?? "?",-12} {(string?)m["status"],-8} {((bool?)m["reachable"] == true ? "yes" : "NO"),-9} {roles,-24} " +
                $"{m["shards"]?.ToString() ?? "-",6} {m["entities"]?.ToString() ?? "-",8} {edge,14} {infer,15} {(string?)m["address"]}");
        }
        return sb.ToString();
    }

    private static async Task<T> AskAsync<T>(ClusterConfig config, object message, TimeSpan timeout)
    {
        var hocon = $$"""
            akka {
              loglevel = ERROR
              stdout-loglevel = ERROR
              actor.provider = remote
              actor.serializers.vigil = "Vigil.Cluster.Serialization.VigilSerializer, Vigil.Cluster"
              actor.serialization-bindings { "Vigil.Cluster.Messages.IVigilMessage, Vigil.Cluster" = vigil }
              remote.dot-netty.tcp { hostname = "{{config.Node.Host}}", port = 0 }
            }
            """;
        var system = ActorSystem.Create("vigil-admin", ConfigurationFactory.ParseString(hocon));
        try
        {
            var targets = config.SeedNodes.Count > 0 ? config.SeedNodes : [$"{config.Node.Host}:{config.Node.Port}"];
            var errors = new List<string>();
            foreach (var target in targets)
            {
                try
                {
                    var selection = system.ActorSelection($"akka.tcp://{AkkaConfigBuilder.SystemName}@{target}/user/{ClusterStatusActor.Name}");
                    return await selection.Ask<T>(message, timeout).ConfigureAwait(false);
                }
                catch (Exception e) when (e is AskTimeoutException or ActorNotFoundException) { errors.Add($"{target}: no answer within {timeout.TotalSeconds:0.#} s"); }
            }
            throw new ClusterUnavailableException($"no cluster node answered ({string.Join("; ", errors)}); is a node running (vigil node --config cluster.conf)?");
        }
        finally { await system.Terminate().ConfigureAwait(false); }
    }
}

/// <summary>No node of the cluster answered; the message names the addresses tried.</summary>
public sealed class ClusterUnavailableException(string message) : Exception(message);
