namespace Vigil.Streams.Keyed;

/// <summary>Bounds of a <see cref="PerKeyStage{TIn, TKey, TState, TOut}"/>: how many keys stay live and for how long.</summary>
public sealed record PerKeySettings
{
    /// <summary>Most keys with live state at once; beyond it the least recently active key is passivated. Default 100,000.</summary>
    public int MaxKeys { get; init; } = 100_000;

    /// <summary>A key silent this long (on the materializer's scheduler) is passivated; null keeps every key until <see cref="MaxKeys"/>.</summary>
    public TimeSpan? IdleTimeout { get; init; }

    /// <summary>Checks for idle keys per <see cref="IdleTimeout"/>: a key is passivated between the timeout and the timeout plus one check period. Default 4.</summary>
    public int IdleChecksPerTimeout { get; init; } = 4;

    /// <summary>Throws when a bound is out of range.</summary>
    public void Validate()
    {
        if (MaxKeys < 1) throw new ArgumentOutOfRangeException(nameof(MaxKeys), MaxKeys, "MaxKeys must be at least 1.");
        if (IdleTimeout is { } t && t <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(IdleTimeout), t, "IdleTimeout must be positive.");
        if (IdleChecksPerTimeout < 1) throw new ArgumentOutOfRangeException(nameof(IdleChecksPerTimeout), IdleChecksPerTimeout, "IdleChecksPerTimeout must be at least 1.");
    }
}
