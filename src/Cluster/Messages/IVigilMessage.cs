namespace Vigil.Cluster.Messages;

/// <summary>
/// Marks every message that crosses nodes or is persisted; cluster.conf's generated Akka
/// configuration binds it to <see cref="Serialization.VigilSerializer"/> (an explicit binary
/// format, never the silent Newtonsoft JSON default with .NET type names in stored events).
/// </summary>
internal interface IVigilMessage;
