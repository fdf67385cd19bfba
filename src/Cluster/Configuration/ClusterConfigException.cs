namespace Vigil.Cluster.Configuration;

/// <summary>
/// A cluster.conf (or VIGIL_CLUSTER__* environment variable) that cannot be used. The message names
/// the file and line (or the variable) and says what is wrong.
/// </summary>
public sealed class ClusterConfigException(string message) : Exception(message);
