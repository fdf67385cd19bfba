namespace Vigil.Cluster.Configuration;

/// <summary>A broker endpoint: host name and AMQP port.</summary>
/// <param name="Host">Host name or address.</param>
/// <param name="Port">AMQP port (5672 by default).</param>
public sealed record BrokerEndpoint(string Host, int Port);

/// <summary>The cluster roles a node may have.</summary>
public static class NodeRoles
{
    /// <summary>Consumes device readings from the broker and hosts patient entities.</summary>
    public const string Ingest = "ingest";
    /// <summary>Serves models on CPU.</summary>
    public const string Inference = "inference";
    /// <summary>Serves models on a GPU (pulls work like <see cref="Inference"/>, usually faster).</summary>
    public const string Gpu = "gpu";
    /// <summary>All roles.</summary>
    public static readonly IReadOnlyList<string> All = [Ingest, Inference, Gpu];
}

/// <summary>This node (<c>vigil.node</c>).</summary>
public sealed record NodeSettings
{
    /// <summary>Unique node name (status output, <c>vigil cluster leave NAME</c>).</summary>
    public string Name { get; init; } = Environment.MachineName.ToLowerInvariant();
    /// <summary>Host name or address Akka.Remote binds and advertises.</summary>
    public string Host { get; init; } = "127.0.0.1";
    /// <summary>Akka.Remote TCP port (0: any free port).</summary>
    public int Port { get; init; } = 4053;
    /// <summary>Roles (<see cref="NodeRoles"/>).</summary>
    public IReadOnlyList<string> Roles { get; init; } = [NodeRoles.Ingest, NodeRoles.Inference];
}

/// <summary>The RabbitMQ edge (<c>vigil.broker</c>).</summary>
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
    /// <summary>Durable queue the device readings arrive on.</summary>
    public string ReadingsQueue { get; init; } = "vigil.readings";
    /// <summary>Durable queue per-window results are published to.</summary>
    public string ResultsQueue { get; init; } = "vigil.results";
    /// <summary>Broker messages an ingest node holds unacknowledged (its share of in-flight readings).</summary>
    public int Prefetch { get; init; } = 256;
    /// <summary>Result messages published and not yet confirmed by the broker.</summary>
    public int ConfirmWindow { get; init; } = 32;
    /// <summary>Most results framed into one broker message.</summary>
    public int FrameMaxResults { get; init; } = 64;
}

/// <summary>Where patient state is persisted (<c>vigil.persistence</c>).</summary>
public sealed record PersistenceSettings
{
    /// <summary><c>sqlite</c> (embedded, one node) or <c>postgresql</c> (several nodes).</summary>
    public string Backend { get; init; } = "sqlite";
    /// <summary>ADO.NET connection string; empty: <c>Data Source=vigil-NODE.db</c> for SQLite.</summary>
    public string ConnectionString { get; init; } = "";
    /// <summary>A patient snapshots after this many new windows…</summary>
    public int SnapshotEvery { get; init; } = 16;
    /// <summary>…or this long after its first unsnapshotted window, whichever comes first.</summary>
    public TimeSpan SnapshotInterval { get; init; } = TimeSpan.FromMilliseconds(250);
    /// <summary>Recent window outputs kept in the snapshot, to answer a redelivered window again.</summary>
    public int KeepOutputs { get; init; } = 64;
    /// <summary>SQLite only: put the database in write-ahead-log mode (one sync per commit instead of several; off for file systems without shared memory, e.g. network mounts).</summary>
    public bool SqliteWal { get; init; } = true;
}

/// <summary>Patient entities (<c>vigil.patients</c>).</summary>
public sealed record PatientSettings
{
    /// <summary>Per-patient function: <c>sequence</c> (order and digest checker) or <c>ppg</c> (heart-rate tracker).</summary>
    public string Function { get; init; } = "sequence";
    /// <summary>Number of shards patients are hashed into (fixed for the life of the cluster).</summary>
    public int Shards { get; init; } = 100;
    /// <summary>PPG function: windows kept in the snapshot and replayed on recovery.</summary>
    public int ReplayWindows { get; init; } = 8;
    /// <summary>How long the edge waits for a patient to confirm a window before sending it again.</summary>
    public TimeSpan AskTimeout { get; init; } = TimeSpan.FromSeconds(3);
    /// <summary>Readings the edge has in flight to patients at once.</summary>
    public int Parallelism { get; init; } = 512;
}

/// <summary>A model this node serves (<c>vigil.models.NAME</c>).</summary>
public sealed record ModelServing
{
    /// <summary>Model id (the key under <c>vigil.models</c>).</summary>
    public required string Id { get; init; }
    /// <summary>Model version; requests name id and version.</summary>
    public string Version { get; init; } = "1";
    /// <summary>Most requests per model call, and the work the node pulls ahead.</summary>
    public int Capacity { get; init; } = 16;
    /// <summary>Which handler computes results: <c>echo</c>, <c>sum</c> (built-in test models) or <c>onnx</c>.</summary>
    public string Handler { get; init; } = "echo";
    /// <summary>ONNX file for handler <c>onnx</c> (relative paths resolve against VIGIL_HOME, else the working directory).</summary>
    public string Path { get; init; } = "";
    /// <summary>Artificial delay per batch (built-in test models only): makes a "slow model".</summary>
    public TimeSpan Delay { get; init; } = TimeSpan.Zero;
}

/// <summary>Requesting side of inference (<c>vigil.inference</c>).</summary>
public sealed record InferenceSettings
{
    /// <summary>Requests admitted and unanswered; InferAsync waits beyond it.</summary>
    public int MaxInFlight { get; init; } = 1024;
    /// <summary>Deadline of a request that does not set one.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>The <c>vigil { }</c> section of cluster.conf.</summary>
public sealed record ClusterConfig
{
    /// <summary>This node.</summary>
    public NodeSettings Node { get; init; } = new();
    /// <summary>Seed nodes as <c>host:port</c>; empty: this node seeds itself.</summary>
    public IReadOnlyList<string> SeedNodes { get; init; } = [];
    /// <summary>The broker edge.</summary>
    public BrokerSettings Broker { get; init; } = new();
    /// <summary>Patient state persistence.</summary>
    public PersistenceSettings Persistence { get; init; } = new();
    /// <summary>Patient entities.</summary>
    public PatientSettings Patients { get; init; } = new();
    /// <summary>Models this node serves (needs role inference or gpu).</summary>
    public IReadOnlyList<ModelServing> Models { get; init; } = [];
    /// <summary>Requesting side of inference.</summary>
    public InferenceSettings Inference { get; init; } = new();
    /// <summary>Longest graceful leave before the node exits anyway.</summary>
    public TimeSpan LeaveTimeout { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>The file's HOCON when it has an <c>akka { }</c> section: its settings take precedence over generated ones.</summary>
    public string AkkaOverrides { get; init; } = "";

    /// <summary>True when the node has <paramref name="role"/>.</summary>
    public bool HasRole(string role) => Node.Roles.Contains(role, StringComparer.Ordinal);

    /// <summary>True when the node serves models.</summary>
    public bool Serves => HasRole(NodeRoles.Inference) || HasRole(NodeRoles.Gpu);
}
