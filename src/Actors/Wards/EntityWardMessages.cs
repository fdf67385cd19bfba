namespace Vigil.Actors.Wards;

/// <summary>Told by an entity to its ward (its parent) when it has been idle long enough to be passivated.</summary>
/// <param name="Key">The idle entity's key.</param>
public sealed record EntityIdle(string Key);

/// <summary>Told to the ward's listener when an entity's actor has stopped and its state is released.</summary>
/// <param name="Key">The entity's key.</param>
public sealed record EntityPassivated(string Key);

/// <summary>Asks a ward which entities are live; answered with <see cref="LiveEntities"/>.</summary>
public sealed record GetLiveEntities
{
    /// <summary>The one instance.</summary>
    public static GetLiveEntities Instance { get; } = new();
}

/// <summary>The keys of the live entities, least recently active first.</summary>
/// <param name="Keys">Entity keys.</param>
public sealed record LiveEntities(IReadOnlyList<string> Keys);

/// <summary>
/// A question for one entity: forwarded to it when it is live (so it answers after every message sent
/// to it before), answered by the ward with <see cref="NotLiveReply"/> otherwise. Never starts an entity.
/// </summary>
public interface IEntityQuery
{
    /// <summary>The entity asked.</summary>
    string EntityKey { get; }

    /// <summary>The ward's answer when the entity has no live actor.</summary>
    object NotLiveReply { get; }
}
