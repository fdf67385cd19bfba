namespace Vigil.Cluster.Configuration;

/// <summary>A broker endpoint: host name and AMQP port.</summary>
/// <param name="Host">Host name or address.</param>
/// <param name="Port">AMQP port (5672 by default).</param>
public sealed record BrokerEndpoint(string Host, int Port);

/// <summary>How to reach the RabbitMQ broker (section <c>[broker]</c>).</summary>
public sealed record BrokerSettings
{
    /// <summary>Endpoints tried in order on connect and on recovery.</summary>
    public IReadOnlyList<BrokerEndpoint> Hosts { get; init; } = [new("localhost", 5672)];
    /// <summary>User name.</summary>
    public string User { get; init; } = "guest";
    /// <summary>Password.</summary>
    public string Password { get; init; } = "guest";
    /// <summary>Virtual host.</summary>
    public string VirtualHost { get; init; } = "/";
    /// <summary>
    /// Type of the model request queues a node or client declares (<see cref="QueueTypes.Classic"/> or
    /// <see cref="QueueTypes.Quorum"/>); <see cref="ModelServing.QueueType"/> overrides it per model.
    /// </summary>
    public string RequestQueueType { get; init; } = QueueTypes.Classic;
}

/// <summary>The RabbitMQ queue types a model request queue may have (trade-offs in docs/cluster.md).</summary>
public static class QueueTypes
{
    /// <summary>Durable classic queue: fastest round trip on one broker; not replicated.</summary>
    public const string Classic = "classic";
    /// <summary>Quorum queue: replicated across a multi-broker RabbitMQ cluster; delivers after a Raft commit (fsync).</summary>
    public const string Quorum = "quorum";
    /// <summary>Both, in the order the documentation lists them.</summary>
    public static readonly IReadOnlyList<string> All = [Classic, Quorum];
}

/// <summary>What a node does (section <c>[node]</c>).</summary>
public sealed record NodeSettings
{
    /// <summary>Unique node name in the cluster; names its queues and heartbeats.</summary>
    public string Name { get; init; } = Environment.MachineName.ToLowerInvariant();
    /// <summary>Roles: <c>serve</c> (serves its models), <c>shard</c> (processes patient streams).</summary>
    public IReadOnlyList<string> Roles { get; init; } = ["serve"];
}

/// <summary>A model this node serves (section <c>[model NAME]</c>).</summary>
public sealed record ModelServing
{
    /// <summary>Model id (the section's second word).</summary>
    public required string Id { get; init; }
    /// <summary>Model version; requests name id and version.</summary>
    public string Version { get; init; } = "1";
    /// <summary>Batching capacity: the most requests handed to the model at once, and the consumer prefetch.</summary>
    public int Capacity { get; init; } = 16;
    /// <summary>Which handler computes results: <c>echo</c>, <c>sum</c> (built-in test models) or <c>onnx</c>.</summary>
    public string Handler { get; init; } = "echo";
    /// <summary>ONNX file for handler <c>onnx</c> (relative paths resolve against VIGIL_HOME, else the working directory).</summary>
    public string Path { get; init; } = "";
    /// <summary>Artificial delay per batch (built-in test models only): makes a "slow model".</summary>
    public TimeSpan Delay { get; init; } = TimeSpan.Zero;
    /// <summary>Type of this model's request queue; null: <see cref="BrokerSettings.RequestQueueType"/>.</summary>
    public string? QueueType { get; init; }
    /// <summary>Idle fast path: run a delivery in the consumer callback when the work loop is idle (off only to measure its worth).</summary>
    internal bool DirectRun { get; init; } = true;
}

/// <summary>Time limits (section <c>[timeouts]</c>).</summary>
public sealed record TimeoutSettings
{
    /// <summary>Deadline given to a request that does not carry its own.</summary>
    public TimeSpan Request { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Interval between node heartbeats.</summary>
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>A node not heard from for this long is shown as dead.</summary>
    public TimeSpan NodeExpiry { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>Longest a graceful drain may take before the node exits anyway.</summary>
    public TimeSpan Drain { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>How long a shard node waits for a moved patient's state before starting it afresh.</summary>
    public TimeSpan Handoff { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>First reconnect delay after losing the broker; doubles up to <see cref="ReconnectMax"/>.</summary>
    public TimeSpan ReconnectMin { get; init; } = TimeSpan.FromMilliseconds(200);
    /// <summary>Longest reconnect delay.</summary>
    public TimeSpan ReconnectMax { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>Requesting-side settings (section <c>[client]</c>).</summary>
public sealed record ClientSettings
{
    /// <summary>Most requests admitted and not yet answered; SendAsync waits beyond it.</summary>
    public int MaxInFlight { get; init; } = 1024;
    /// <summary>Publishing channels (each with its own confirm window).</summary>
    public int Channels { get; init; } = 2;
    /// <summary>Unconfirmed broker messages allowed per channel.</summary>
    public int ConfirmWindow { get; init; } = 32;
    /// <summary>Most requests carried by one broker message.</summary>
    public int FrameMaxRequests { get; init; } = 8;
    /// <summary>Most payload bytes per broker message (a larger single request still goes alone).</summary>
    public int FrameMaxBytes { get; init; } = 1 << 20;
    /// <summary>Idle fast path: publish from the caller when nothing is queued (off only to measure its worth).</summary>
    internal bool DirectPublish { get; init; } = true;
}

/// <summary>Patient sharding settings (section <c>[shard]</c>).</summary>
public sealed record ShardSettings
{
    /// <summary>Windows a shard node holds unacknowledged (buffered while waiting for hand-offs).</summary>
    public int Prefetch { get; init; } = 512;
    /// <summary>Weight of this node's queue on the consistent-hash ring.</summary>
    public int Weight { get; init; } = 10;
    /// <summary>Name of the patient ring: the consistent-hash exchange and the prefix of its queues.</summary>
    public string Ring { get; init; } = "vigil.patients";
    /// <summary>Per-patient function: <c>sequence</c> (order checker) or <c>ppg</c> (heart-rate tracker).</summary>
    public string Function { get; init; } = "sequence";
    /// <summary>PPG function: windows kept in the hand-off snapshot and replayed by the next owner.</summary>
    public int ReplayWindows { get; init; } = 8;
}

/// <summary>The whole cluster.conf, after environment overrides.</summary>
public sealed record ClusterConfig
{
    /// <summary>Broker connection.</summary>
    public BrokerSettings Broker { get; init; } = new();
    /// <summary>This node.</summary>
    public NodeSettings Node { get; init; } = new();
    /// <summary>Models this node serves (empty on a node that only requests).</summary>
    public IReadOnlyList<ModelServing> Models { get; init; } = [];
    /// <summary>Time limits.</summary>
    public TimeoutSettings Timeouts { get; init; } = new();
    /// <summary>Requesting side.</summary>
    public ClientSettings Client { get; init; } = new();
    /// <summary>Patient sharding.</summary>
    public ShardSettings Shard { get; init; } = new();

    /// <summary>True when the node has <paramref name="role"/>.</summary>
    public bool HasRole(string role) => Node.Roles.Contains(role, StringComparer.Ordinal);

    /// <summary>The request queue type of <paramref name="model"/>: its own setting, else the broker-wide one.</summary>
    public string QueueTypeOf(ModelServing model) => model.QueueType ?? Broker.RequestQueueType;
}
