namespace Vigil.Actors;

/// <summary>A keyed entity was passivated; <paramref name="State"/> is what it handed out.</summary>
/// <param name="Key">The entity's key.</param>
/// <param name="Reason">Why it was passivated.</param>
/// <param name="State">The value its <see cref="Actor{TMessage}.OnPassivateAsync"/> returned (null by default).</param>
public sealed record EntityPassivated<TKey>(TKey Key, PassivationReason Reason, object? State);
