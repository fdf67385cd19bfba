namespace Vigil.Cluster.Sharding;

/// <summary>Kinds of patient-stream messages; the byte value is the wire code.</summary>
public enum PatientMessageKind : byte
{
    /// <summary>One window of a patient's stream (Seq = window number, Payload = samples).</summary>
    Window = 1,
    /// <summary>A patient's state handed to its new owner (Seq = last window folded in, Node = sender).</summary>
    State = 2,
    /// <summary>A node asks for a patient's state (Seq = first window it holds, Node = asker, Note = its control queue).</summary>
    StateRequest = 3,
    /// <summary>The result of processing one window (Node = processor, Flags/Note = state caveats).</summary>
    Output = 4,
}
