using System.Text.Json.Nodes;
using Vigil.Cluster.Edge;
using Vigil.Cluster.Inference;
using Vigil.Cluster.Patients;

namespace Vigil.Cluster.Node;

/// <summary>The live figures of one node, as its status actor reports them.</summary>
internal sealed class NodeFigures(string name, PatientCounters patients)
{
    public string Name { get; } = name;
    public PatientCounters Patients { get; } = patients;
    public IngestEdge? Edge { get; set; }
    public InferenceCounters Inference { get; } = new();

    public JsonObject ToJson() => new()
    {
        ["name"] = Name,
        ["windows_folded"] = Patients.WindowsFolded,
        ["snapshots_saved"] = Patients.SnapshotsSaved,
        ["patients_recovered"] = Patients.PatientsRecovered,
        ["edge_messages_in_flight"] = Edge?.MessagesInFlight ?? 0,
        ["edge_messages_acknowledged"] = Edge?.MessagesAcknowledged ?? 0,
        ["edge_messages_rejected"] = Edge?.MessagesRejected ?? 0,
        ["inference_in_flight_served"] = Inference.ServingInFlight,
        ["inference_served"] = Inference.Served,
        ["inference_in_flight_requested"] = Inference.RequestedInFlight,
    };
}
