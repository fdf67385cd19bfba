namespace Vigil.Cluster.Messages;

/// <summary>Asks a node's status actor for the cluster view (JSON).</summary>
internal sealed record ClusterStatusQuery : IVigilMessage
{
    public static readonly ClusterStatusQuery Instance = new();
}

/// <summary>Asks one node for its own figures (JSON).</summary>
internal sealed record NodeStatusQuery : IVigilMessage
{
    public static readonly NodeStatusQuery Instance = new();
}

/// <summary>A JSON status document.</summary>
internal sealed record StatusJson(string Json) : IVigilMessage;

/// <summary>Asks the cluster to let a node (by name or address) leave gracefully.</summary>
internal sealed record LeaveNode(string Node) : IVigilMessage;

/// <summary>Answer to <see cref="LeaveNode"/>.</summary>
internal sealed record LeaveAnswer(bool Ok, string Message) : IVigilMessage;
