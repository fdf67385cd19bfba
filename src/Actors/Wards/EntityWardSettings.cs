using Akka.Actor;

namespace Vigil.Actors.Wards;

/// <summary>What an <see cref="EntityWard"/> routes and how it starts its entities.</summary>
/// <param name="KeyOf">The entity key of a message the ward routes (e.g. the patient id), or null for a message it does not route.</param>
/// <param name="EntityProps">Props of the entity for a key; a fresh actor (and state) per incarnation.</param>
/// <param name="MaxLive">At most this many entities are live; the least recently active is passivated to make room.</param>
/// <param name="Listener">Told <see cref="EntityPassivated"/> whenever an entity has stopped and released its state; null for nobody.</param>
public sealed record EntityWardSettings(Func<object, string?> KeyOf, Func<string, Props> EntityProps, int MaxLive, IActorRef? Listener)
{
    /// <summary>Throws when <see cref="MaxLive"/> is not positive.</summary>
    public void Validate()
    {
        if (MaxLive < 1) throw new ArgumentOutOfRangeException(nameof(MaxLive), MaxLive, "an entity ward needs room for at least one live entity");
    }
}
