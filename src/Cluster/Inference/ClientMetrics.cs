namespace Vigil.Cluster.Inference;

/// <summary>Counters of a <see cref="RemoteInferenceClient"/> (a snapshot).</summary>
/// <param name="InFlight">Requests admitted and not yet answered.</param>
/// <param name="Admitted">Requests admitted since start.</param>
/// <param name="Results">Requests completed with a result (from a node or a local deadline failure).</param>
/// <param name="Duplicates">Results dropped because their request already had one.</param>
/// <param name="Expired">Requests failed locally because their deadline passed with no result.</param>
/// <param name="Republished">Requests published again because the broker did not confirm them.</param>
/// <param name="FramesPublished">Broker messages confirmed.</param>
/// <param name="LastBrokerError">The latest publish failure, for diagnostics (empty when none).</param>
public sealed record ClientMetrics(
    int InFlight, long Admitted, long Results, long Duplicates, long Expired, long Republished, long FramesPublished, string LastBrokerError);
