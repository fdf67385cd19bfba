namespace Vigil.Cluster.Wire;

/// <summary>A broker message body that is not a valid Vigil frame; the message says where it broke.</summary>
public sealed class FrameFormatException(string message) : Exception(message);
