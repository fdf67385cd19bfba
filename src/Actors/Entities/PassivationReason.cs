namespace Vigil.Actors;

/// <summary>Why a keyed entity was passivated.</summary>
public enum PassivationReason
{
    /// <summary>No message arrived for the region's idle timeout.</summary>
    IdleTimeout,

    /// <summary>The region hit its bound on live entities and this one was the least recently used.</summary>
    LeastRecentlyUsed,

    /// <summary>Passivated on request (<see cref="EntityRegion{TKey, TMessage}.PassivateAsync"/>), e.g. to hand state to another node.</summary>
    Requested,

    /// <summary>The region or the system is shutting down.</summary>
    Shutdown,
}
