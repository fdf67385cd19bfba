namespace Vigil.Actors;

/// <summary>Per-actor settings; anything left <c>null</c> takes the system's default.</summary>
public sealed class ActorOptions
{
    /// <summary>Mailbox capacity (messages); default <see cref="ActorSystemOptions.DefaultMailboxCapacity"/>.</summary>
    public int? MailboxCapacity { get; init; }

    /// <summary>What happens when the actor fails; default <see cref="ActorSystemOptions.DefaultSupervision"/>.</summary>
    public SupervisionStrategy? Supervision { get; init; }
}
