using Vigil.Cluster.Wire;

namespace Vigil.Cluster.Messages;

/// <summary>A requester announces itself to a model server, which answers with demand.</summary>
internal sealed record ClientHello : IVigilMessage
{
    public static readonly ClientHello Instance = new();
}

/// <summary>A model server grants <see cref="Credits"/> more requests of <see cref="Model"/> (pull with backpressure).</summary>
internal sealed record Demand(string Model, string Version, int Credits) : IVigilMessage;

/// <summary>
/// Requests handed to a server that asked for work: as many as the requester had waiting and
/// credit for, in one remote message (one frame) up to <see cref="InferWork.MaxBytes"/>.
/// </summary>
internal sealed record InferWork(IReadOnlyList<InferenceRequest> Requests) : IVigilMessage
{
    /// <summary>Byte budget of one message's frame (several requests; always at least one).</summary>
    public const int MaxBytes = 1 << 20;
}

/// <summary>Results of requests, returned together to the requester that sent them (one frame; each returns one credit).</summary>
internal sealed record InferDone(IReadOnlyList<InferenceResult> Results) : IVigilMessage;
