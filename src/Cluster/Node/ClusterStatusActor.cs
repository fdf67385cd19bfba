using System.Text.Json.Nodes;
using Akka.Actor;
using Vigil.Cluster.Messages;

namespace Vigil.Cluster.Node;

/// <summary>
/// The operations endpoint of a node (at <c>/user/vigil-status</c>): the cluster view (members,
/// roles, reachability, each member's shards, entities and in-flight work) and graceful leave of a
/// member by name or address. <c>vigil cluster status|leave</c> talk to it over Akka.Remote.
/// </summary>
internal sealed class ClusterStatusActor : ReceiveActor
{
    public const string Name = "vigil-status";

    public ClusterStatusActor()
    {
        var cluster = Akka.Cluster.Cluster.Get(Context.System);
        ReceiveAsync<ClusterStatusQuery>(async _ =>
        {
            var sender = Sender;
            var view = await GatherAsync(cluster);
            sender.Tell(new StatusJson(view.ToJsonString()));
        });
        ReceiveAsync<LeaveNode>(async leave =>
        {
            var sender = Sender;
            var view = await GatherAsync(cluster);
            var match = view["members"]!.AsArray().FirstOrDefault(m =>
                (string?)m!["name"] == leave.Node || (string?)m!["address"] == leave.Node
                || ((string?)m!["address"])?.EndsWith("@" + leave.Node, StringComparison.Ordinal) == true);
            if (match is null)
            {
                var names = view["members"]!.AsArray().Select(m => (string?)m!["name"] ?? (string?)m!["address"]);
                sender.Tell(new LeaveAnswer(false, $"no member named '{leave.Node}'; members: {string.Join(", ", names)}"));
                return;
            }
            var address = Address.Parse((string)match["address"]!);
            cluster.Leave(address);
            sender.Tell(new LeaveAnswer(true, $"{(string?)match["name"] ?? address.ToString()} ({address}) is leaving: its shards hand off, then it exits"));
        });
    }

    private static async Task<JsonObject> GatherAsync(Akka.Cluster.Cluster cluster)
    {
        var state = cluster.State;
        var unreachable = state.Unreachable.Select(m => m.Address).ToHashSet();
        var members = state.Members.OrderBy(m => m.Address.ToString()).ToList();
        var details = await Task.WhenAll(members.Select(async m =>
        {
            var o = new JsonObject
            {
                ["address"] = m.Address.ToString(),
                ["status"] = m.Status.ToString(),
                ["roles"] = new JsonArray(m.Roles.OrderBy(r => r).Select(r => (JsonNode)r).ToArray()),
                ["reachable"] = !unreachable.Contains(m.Address),
            };
            if (unreachable.Contains(m.Address)) return o;
            try
            {
                var answer = await cluster.System.ActorSelection(new RootActorPath(m.Address) / "user" / NodeStatusActor.Name)
                    .Ask<StatusJson>(NodeStatusQuery.Instance, TimeSpan.FromSeconds(3));
                foreach (var (k, v) in JsonNode.Parse(answer.Json)!.AsObject().ToList()) if (k != "address") o[k] = v?.DeepClone();
            }
            catch (Exception e) when (e is AskTimeoutException or ActorNotFoundException) { o["error"] = "no answer within 3 s"; }
            return o;
        }));
        return new JsonObject
        {
            ["self"] = cluster.SelfAddress.ToString(),
            ["leader"] = state.Leader?.ToString(),
            ["members"] = new JsonArray(details.Select(d => (JsonNode)d).ToArray()),
        };
    }
}
