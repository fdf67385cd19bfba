namespace Vigil.Actors;

/// <summary>Settings of an <see cref="EntityRegion{TKey, TMessage}"/>, with their defaults.</summary>
/// <typeparam name="TKey">The entity key type.</typeparam>
public sealed class EntityRegionOptions<TKey>
{
    /// <summary>
    /// An entity that receives no message for this long is passivated (measured on the system clock,
    /// from the last message routed to it). Default 5 minutes; <c>null</c> never passivates for idleness.
    /// </summary>
    public TimeSpan? IdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Most entities live at once (passivating ones not counted). Creating one more passivates the
    /// least recently used. Default 10 000.
    /// </summary>
    public int MaxLiveEntities { get; init; } = 10_000;

    /// <summary>
    /// Each entity's mailbox capacity, which is also how many messages are buffered for an entity
    /// while it passivates. Default: the system's <see cref="ActorSystemOptions.DefaultMailboxCapacity"/>.
    /// </summary>
    public int? MailboxCapacity { get; init; }

    /// <summary>Entities' supervision; default the system's <see cref="ActorSystemOptions.DefaultSupervision"/>.</summary>
    public SupervisionStrategy? Supervision { get; init; }

    /// <summary>
    /// Called after an entity passivated, with the state it handed out (e.g. to persist it or send it
    /// to the node taking the key over). Runs on the entity's loop; keep it short and non-blocking.
    /// </summary>
    public Action<EntityPassivated<TKey>>? OnPassivated { get; init; }
}
