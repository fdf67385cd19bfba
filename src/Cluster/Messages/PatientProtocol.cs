namespace Vigil.Cluster.Messages;

/// <summary>One window of a patient's readings (one broker reading), numbered from 0 per patient.</summary>
internal sealed record PatientReading(string PatientId, long Seq, byte[] Payload) : IVigilMessage;

/// <summary>
/// The entity's answer to a reading, sent only once persisted state covers it: the edge then
/// publishes <see cref="Output"/> and acknowledges the broker message. <see cref="Output"/> is null
/// <see cref="Node"/> names the node whose entity folded it (provenance). Output is null
/// when the reading was covered long ago and its output is no longer kept (already delivered).
/// </summary>
internal sealed record ReadingDone(string PatientId, long Seq, string Node, byte[]? Output) : IVigilMessage;

/// <summary>A patient's persisted snapshot: its function state, last window folded in, and recent outputs.</summary>
internal sealed record PatientSnapshot(long LastSeq, byte[] State, IReadOnlyList<KeyValuePair<long, byte[]>> Outputs) : IVigilMessage;

/// <summary>Asks a patient entity for its state (tests, status).</summary>
internal sealed record GetPatientState(string PatientId) : IVigilMessage;

/// <summary>A patient's current state: last window folded in, last window covered by a snapshot, and the function state.</summary>
internal sealed record PatientState(string PatientId, long LastSeq, long SnapshotSeq, byte[] State) : IVigilMessage;
