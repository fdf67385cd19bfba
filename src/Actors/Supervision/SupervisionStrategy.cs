namespace Vigil.Actors;

/// <summary>
/// Decides what happens when an actor's handler (or its factory / <c>PreStartAsync</c>) throws.
/// The strategy belongs to the failing actor (set through <see cref="ActorOptions.Supervision"/>),
/// so a parent states its children's policy when it spawns them.
/// </summary>
/// <remarks>
/// Restart backoff: the n-th consecutive restart waits <c>min(MaxBackoff, MinBackoff · 2^(n−1))</c>
/// on the system's <see cref="TimeProvider"/>. The count of consecutive restarts resets when the
/// actor fails again at least <see cref="ResetAfter"/> after its last restart. When
/// <see cref="MaxRestarts"/> consecutive restarts did not help, the actor stops.
/// </remarks>
public sealed class SupervisionStrategy
{
    // Chooses a directive per exception; null: always Directive.
    private readonly Func<Exception, SupervisionDecision>? _decider;

    private SupervisionStrategy(SupervisionDecision directive, TimeSpan minBackoff, TimeSpan maxBackoff,
        int? maxRestarts, TimeSpan resetAfter, Func<Exception, SupervisionDecision>? decider)
    {
        Directive = directive;
        MinBackoff = minBackoff;
        MaxBackoff = maxBackoff;
        MaxRestarts = maxRestarts;
        ResetAfter = resetAfter;
        _decider = decider;
    }

    /// <summary>Stop the failing actor.</summary>
    public static SupervisionStrategy Stop { get; } = Create(SupervisionDecision.Stop);

    /// <summary>Resume: keep state, skip (dead-letter) the failing message.</summary>
    public static SupervisionStrategy Resume { get; } = Create(SupervisionDecision.Resume);

    /// <summary>Escalate to the parent (stopping the failing actor).</summary>
    public static SupervisionStrategy Escalate { get; } = Create(SupervisionDecision.Escalate);

    /// <summary>The directive taken when no decider is set (or the decider's default).</summary>
    public SupervisionDecision Directive { get; }

    /// <summary>Delay before the first restart.</summary>
    public TimeSpan MinBackoff { get; }

    /// <summary>Upper bound of the doubling restart delay.</summary>
    public TimeSpan MaxBackoff { get; }

    /// <summary>Consecutive restarts allowed before the actor is stopped; <c>null</c>: unlimited.</summary>
    public int? MaxRestarts { get; }

    /// <summary>Time after the last restart after which a new failure counts as the first again.</summary>
    public TimeSpan ResetAfter { get; }

    /// <summary>
    /// Restart with exponential backoff from <paramref name="minBackoff"/> doubling up to
    /// <paramref name="maxBackoff"/>. <paramref name="resetAfter"/> defaults to
    /// max(2 × <paramref name="maxBackoff"/>, 1 minute).
    /// </summary>
    public static SupervisionStrategy Restart(TimeSpan minBackoff, TimeSpan maxBackoff, int? maxRestarts = null, TimeSpan? resetAfter = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minBackoff, TimeSpan.Zero);
        if (maxBackoff < minBackoff)
            throw new ArgumentOutOfRangeException(nameof(maxBackoff), maxBackoff, $"The maximum backoff must be at least the minimum ({minBackoff}).");
        if (maxRestarts is < 0)
            throw new ArgumentOutOfRangeException(nameof(maxRestarts), maxRestarts, "The restart limit cannot be negative.");
        var reset = resetAfter ?? TimeSpan.FromTicks(Math.Max(2 * Math.Min(maxBackoff.Ticks, TimeSpan.MaxValue.Ticks / 4), TimeSpan.TicksPerMinute));
        return new SupervisionStrategy(SupervisionDecision.Restart, minBackoff, maxBackoff, maxRestarts, reset, null);
    }

    /// <summary>Restart at once, without backoff.</summary>
    public static SupervisionStrategy RestartImmediately(int? maxRestarts = null) =>
        Restart(TimeSpan.Zero, TimeSpan.Zero, maxRestarts, TimeSpan.FromMinutes(1));

    /// <summary>
    /// The same strategy (backoff and limits) but choosing the directive per exception, e.g.
    /// <c>ex =&gt; ex is ArgumentException ? SupervisionDecision.Resume : SupervisionDecision.Restart</c>.
    /// </summary>
    public SupervisionStrategy WithDecider(Func<Exception, SupervisionDecision> decider)
    {
        ArgumentNullException.ThrowIfNull(decider);
        return new SupervisionStrategy(Directive, MinBackoff, MaxBackoff, MaxRestarts, ResetAfter, decider);
    }

    /// <summary>The directive for <paramref name="error"/>.</summary>
    public SupervisionDecision Decide(Exception error) => _decider?.Invoke(error) ?? Directive;

    /// <summary>The delay before consecutive restart number <paramref name="restart"/> (1-based).</summary>
    public TimeSpan BackoffFor(int restart)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(restart, 1);
        if (MinBackoff == TimeSpan.Zero) return TimeSpan.Zero;
        // Doubles computed in floating point so a long series cannot overflow; capped at MaxBackoff.
        var ticks = MinBackoff.Ticks * Math.Pow(2, Math.Min(restart - 1, 62));
        return ticks >= MaxBackoff.Ticks ? MaxBackoff : TimeSpan.FromTicks((long)ticks);
    }

    private static SupervisionStrategy Create(SupervisionDecision directive) =>
        new(directive, TimeSpan.Zero, TimeSpan.Zero, null, TimeSpan.FromMinutes(1), null);
}
