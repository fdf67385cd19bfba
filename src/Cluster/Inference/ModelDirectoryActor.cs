using Akka.Actor;
using Vigil.Cluster.Messages;

namespace Vigil.Cluster.Inference;

/// <summary>Per node (at <c>/user/vigil-models</c>): passes a requester's hello to every model server of the node.</summary>
internal sealed class ModelDirectoryActor : ReceiveActor
{
    public const string Name = "vigil-models";

    public ModelDirectoryActor(IReadOnlyList<IActorRef> servers)
    {
        Receive<ClientHello>(hello => { foreach (var s in servers) s.Forward(hello); });
    }
}
