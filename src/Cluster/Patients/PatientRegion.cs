using Akka.Actor;
using Akka.Cluster.Sharding;
using Vigil.Cluster.Configuration;
using Vigil.Cluster.Sharding;

namespace Vigil.Cluster.Patients;

/// <summary>Starts the patient shard region (on <c>ingest</c> nodes) or a proxy to it (elsewhere).</summary>
public static class PatientRegion
{
    /// <summary>Sharding type name of patient entities.</summary>
    public const string TypeName = "patient";

    /// <summary>The region (or proxy) routing patient messages by patient id.</summary>
    public static IActorRef Start(ActorSystem system, ClusterConfig config, PatientCounters counters)
    {
        var sharding = ClusterSharding.Get(system);
        var extractor = new PatientMessageExtractor(config.Patients.Shards);
        if (!config.HasRole(NodeRoles.Ingest)) return sharding.StartProxy(TypeName, NodeRoles.Ingest, extractor);
        IPatientFunctionFactory factory = config.Patients.Function == "ppg"
            ? new PpgShardFunctionFactory(config.Patients.ReplayWindows)
            : new SequenceCheckerFactory();
        return sharding.Start(TypeName, patient => PatientEntity.Props(patient, config.Node.Name, config.Persistence, factory, counters),
            ClusterShardingSettings.Create(system).WithRole(NodeRoles.Ingest), extractor);
    }
}
