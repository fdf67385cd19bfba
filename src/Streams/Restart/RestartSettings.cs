namespace Vigil.Streams;

/// <summary>
/// Exponential backoff for <see cref="RestartSource"/> and <see cref="RestartFlow"/>: the n-th
/// consecutive restart waits min(<paramref name="MaxBackoff"/>, <paramref name="MinBackoff"/> × 2ⁿ⁻¹),
/// stretched by up to <paramref name="RandomFactor"/> (jitter), on the materializer's clock.
/// The count resets once the restarted stream emits an element. After
/// <paramref name="MaxRestarts"/> consecutive restarts the failure is passed on.
/// </summary>
/// <param name="MinBackoff">The first delay.</param>
/// <param name="MaxBackoff">The largest delay.</param>
/// <param name="RandomFactor">Extra random delay as a fraction of the backoff (0: none).</param>
/// <param name="MaxRestarts">Consecutive restarts allowed (null: unlimited).</param>
public sealed record RestartSettings(TimeSpan MinBackoff, TimeSpan MaxBackoff, double RandomFactor = 0, int? MaxRestarts = null)
{
    /// <summary>The delay before consecutive restart number <paramref name="attempt"/> (1-based), without jitter.</summary>
    public TimeSpan BackoffFor(int attempt)
    {
        var factor = Math.Pow(2, Math.Min(attempt - 1, 30));
        var ticks = Math.Min(MaxBackoff.Ticks, MinBackoff.Ticks * factor);
        return TimeSpan.FromTicks((long)ticks);
    }
}
