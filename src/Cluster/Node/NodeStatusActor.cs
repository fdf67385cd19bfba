using Akka.Actor;
using Akka.Cluster.Sharding;
using Vigil.Cluster.Messages;

namespace Vigil.Cluster.Node;

/// <summary>Answers <see cref="NodeStatusQuery"/> with this node's figures, shards and entities (at <c>/user/vigil-node</c>).</summary>
internal sealed class NodeStatusActor : ReceiveActor
{
    public const string Name = "vigil-node";

    public NodeStatusActor(NodeFigures figures, IActorRef patients, bool hostsPatients)
    {
        ReceiveAsync<NodeStatusQuery>(async _ =>
        {
            var json = figures.ToJson();
            json["address"] = Akka.Cluster.Cluster.Get(Context.System).SelfAddress.ToString();
            if (hostsPatients)
            {
                try
                {
                    var state = await patients.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, TimeSpan.FromSeconds(3));
                    json["shards"] = state.Shards.Count;
                    json["entities"] = state.Shards.Sum(s => s.EntityIds.Count);
                }
                catch (AskTimeoutException) { json["shards"] = null; json["entities"] = null; }
            }
            else { json["shards"] = 0; json["entities"] = 0; }
            Sender.Tell(new StatusJson(json.ToJsonString()));
        });
    }
}
