using Akka.Actor;
using Vigil.Cluster.Configuration;
using Vigil.Cluster.Edge;
using Vigil.Cluster.Inference;
using Vigil.Cluster.Patients;

namespace Vigil.Cluster.Node;

/// <summary>
/// One cluster node: an Akka.Cluster member with the roles from cluster.conf. Every node runs the
/// patient region (hosting patients on <c>ingest</c> nodes, a proxy elsewhere) and the status
/// endpoint; <c>ingest</c> nodes consume the broker edge; <c>inference</c>/<c>gpu</c> nodes serve
/// their models, pulling work from requesters.
/// </summary>
public sealed class VigilNode : IAsyncDisposable
{
    private readonly NodeFigures _figures;
    private readonly List<IActorRef> _servers = new();

    private VigilNode(ClusterConfig config, ActorSystem system, IActorRef patients, NodeFigures figures)
    {
        Config = config; System = system; Patients = patients; _figures = figures;
    }

    /// <summary>The configuration this node runs.</summary>
    public ClusterConfig Config { get; }
    /// <summary>The node's actor system (a cluster member).</summary>
    public ActorSystem System { get; }
    /// <summary>The patient shard region (or proxy).</summary>
    public IActorRef Patients { get; }
    /// <summary>Patient counters of this node.</summary>
    public PatientCounters PatientCounters => _figures.Patients;
    /// <summary>Inference counters of this node.</summary>
    public InferenceCounters InferenceCounters => _figures.Inference;
    /// <summary>The broker edge (ingest nodes only).</summary>
    public IngestEdge? Edge => _figures.Edge;
    /// <summary>Remote inference from this node (requests go to the model servers of the cluster).</summary>
    public ClusterInference Inference { get; private set; } = null!;
    /// <summary>This node's cluster address.</summary>
    public Address Address => Akka.Cluster.Cluster.Get(System).SelfAddress;

    /// <summary>Starts the actor system, joins the cluster (waits until this member is Up), then starts the node's parts.</summary>
    public static async Task<VigilNode> StartAsync(ClusterConfig config, TextWriter log, bool startEdge = true, CancellationToken ct = default)
    {
        if (config.HasRole(NodeRoles.Ingest) && config.Persistence is { Backend: "sqlite", SqliteWal: true }) SqliteJournalMode.UseWriteAheadLog(config.Persistence.ConnectionString);
        var system = ActorSystem.Create(AkkaConfigBuilder.SystemName, AkkaConfigBuilder.Build(config));
        try
        {
            var cluster = Akka.Cluster.Cluster.Get(system);
            var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            cluster.RegisterOnMemberUp(() => up.TrySetResult());
            var joined = await Task.WhenAny(up.Task, Task.Delay(TimeSpan.FromSeconds(60), ct)).ConfigureAwait(false);
            if (joined != up.Task)
                throw new InvalidOperationException($"node {config.Node.Name} did not join the cluster within 60 s (seed nodes: {string.Join(", ", config.SeedNodes.DefaultIfEmpty("itself"))})");
            var counters = new PatientCounters();
            var figures = new NodeFigures(config.Node.Name, counters);
            var patients = PatientRegion.Start(system, config, counters);
            var node = new VigilNode(config, system, patients, figures);
            system.ActorOf(Props.Create(() => new NodeStatusActor(figures, patients, config.HasRole(NodeRoles.Ingest))), NodeStatusActor.Name);
            system.ActorOf(Props.Create(() => new ClusterStatusActor()), ClusterStatusActor.Name);
            if (config.Serves)
                foreach (var model in config.Models)
                    node._servers.Add(system.ActorOf(ModelServerActor.Props(model, config.Node.Name, figures.Inference), ModelServerActor.NameOf(model.Id)));
            system.ActorOf(Props.Create(() => new ModelDirectoryActor(node._servers)), ModelDirectoryActor.Name);
            node.Inference = new ClusterInference(
                system.ActorOf(Props.Create(() => new InferenceClientActor(figures.Inference)), InferenceClientActor.Name), config.Inference);
            if (startEdge && config.HasRole(NodeRoles.Ingest))
                figures.Edge = await IngestEdge.StartAsync(system, config, patients, log, ct).ConfigureAwait(false);
            // Graceful leave (SIGTERM, `vigil cluster leave`): stop taking broker messages and finish
            // those in hand before the shards hand off.
            CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseBeforeServiceUnbind, "vigil-edge-drain", async () =>
            {
                if (figures.Edge is { } edge) await edge.DrainAsync(config.LeaveTimeout / 2).ConfigureAwait(false);
                return Akka.Done.Instance;
            });
            return node;
        }
        catch
        {
            await system.Terminate().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A one-line summary for the ready message.</summary>
    public string Describe() =>
        $"{Address} roles [{string.Join(", ", Config.Node.Roles)}], persistence {Config.Persistence.Backend}" +
        (Config.Models.Count > 0 ? $", models {string.Join(", ", Config.Models.Select(m => m.Id))}" : "") +
        (Edge is not null ? $", edge on {Config.Broker.ReadingsQueue}" : "");

    /// <summary>Leaves the cluster gracefully (drains the edge, hands off shards) and stops the actor system.</summary>
    public Task LeaveAsync() => CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClusterLeavingReason.Instance);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await LeaveAsync().WaitAsync(Config.LeaveTimeout).ConfigureAwait(false);
    }
}
