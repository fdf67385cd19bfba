using Vigil.Cluster.Wire;

namespace Vigil.Cluster.Messages;

/// <summary>A requester announces itself to a model server, which answers with demand.</summary>
internal sealed record ClientHello : IVigilMessage
{
    public static readonly ClientHello Instance = new();
}

/// <summary>A model server grants <see cref="Credits"/> more requests of <see cref="Model"/> (pull with backpressure).</summary>
internal sealed record Demand(string Model, string Version, int Credits) : IVigilMessage;

/// <summary>A request handed to a server that asked for work.</summary>
internal sealed record InferWork(InferenceRequest Request) : IVigilMessage;

/// <summary>The one result of a request, returned to the requester that sent it.</summary>
internal sealed record InferDone(InferenceResult Result) : IVigilMessage;
