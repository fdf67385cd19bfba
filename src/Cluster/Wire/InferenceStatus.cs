namespace Vigil.Cluster.Wire;

/// <summary>Outcome of a remote inference request; the byte value is the wire code.</summary>
public enum InferenceStatus : byte
{
    /// <summary>The model ran; outputs are present.</summary>
    Ok = 0,
    /// <summary>The model or its input failed; the error says why.</summary>
    Failed = 1,
    /// <summary>The request's deadline passed before it could run.</summary>
    DeadlineExceeded = 2,
}
