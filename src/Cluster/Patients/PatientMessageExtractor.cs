using Akka.Cluster.Sharding;
using Vigil.Cluster.Messages;

namespace Vigil.Cluster.Patients;

/// <summary>Routes patient messages to their entity (patient id) and shard (stable hash of the id).</summary>
internal sealed class PatientMessageExtractor(int shards) : HashCodeMessageExtractor(shards)
{
    public override string? EntityId(object message) => message switch
    {
        PatientReading r => r.PatientId,
        GetPatientState g => g.PatientId,
        _ => null,
    };
}
