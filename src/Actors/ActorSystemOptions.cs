namespace Vigil.Actors;

/// <summary>System-wide settings, with the defaults stated on each property.</summary>
public sealed class ActorSystemOptions
{
    /// <summary>Mailbox capacity of actors that do not set one. Default 1000.</summary>
    public int DefaultMailboxCapacity { get; set; } = 1000;

    /// <summary>
    /// Supervision of actors that do not set one. Default: restart from the factory with exponential
    /// backoff from 100 ms to 10 s (unlimited restarts; the count resets after a minute without failure).
    /// </summary>
    public SupervisionStrategy DefaultSupervision { get; set; } =
        SupervisionStrategy.Restart(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10));

    /// <summary>
    /// How many dead letters <see cref="ActorSystem.DeadLetters"/> retains for readers; when it is
    /// full the oldest is dropped from the channel (it was already logged and counted). Default 1000.
    /// </summary>
    public int DeadLetterCapacity { get; set; } = 1000;

    /// <summary>Throws when a setting is out of range, naming it.</summary>
    internal void Validate()
    {
        if (DefaultMailboxCapacity < 1)
            throw new ArgumentOutOfRangeException(nameof(DefaultMailboxCapacity), DefaultMailboxCapacity, "The mailbox capacity must be at least 1.");
        if (DeadLetterCapacity < 1)
            throw new ArgumentOutOfRangeException(nameof(DeadLetterCapacity), DeadLetterCapacity, "The dead-letter capacity must be at least 1.");
        ArgumentNullException.ThrowIfNull(DefaultSupervision);
    }
}
