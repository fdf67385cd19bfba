using System.Threading.Channels;
using Vigil.Actors;
using Vigil.Actors.Internal;

namespace Vigil.TestKit.Actors;

/// <summary>
/// A test's stand-in actor: an <see cref="IActorRef{TMessage}"/> of <see cref="object"/> (so, by
/// contravariance, a reply-to for any reference message type) that queues what it receives for
/// expectations. Timed expectations run on the system's clock: with a <see cref="ManualClock"/>,
/// <see cref="ExpectNoMsgAsync"/> advances the clock and then waits until the actor system is idle,
/// so "nothing arrived" is decided without any wall-clock wait.
/// </summary>
/// <remarks>
/// Waits for a message that should come use <see cref="SafetyTimeout"/> (wall clock, 30 s by default)
/// only so that a broken test fails instead of hanging; a passing test never waits for it.
/// </remarks>
public sealed class TestProbe : IActorRef<object>
{
    private static long s_counter;
    private readonly Channel<object> _received = Channel.CreateUnbounded<object>();
    private readonly Watcher _watcher;

    /// <summary>Creates a probe in <paramref name="system"/> at <c>/probes/{name}-{n}</c>.</summary>
    public TestProbe(ActorSystem system, string name = "probe")
    {
        ArgumentNullException.ThrowIfNull(system);
        System = system;
        Path = system.RootPath.Child("probes").Child(name + "-" + Interlocked.Increment(ref s_counter));
        _watcher = new Watcher(this);
    }

    /// <inheritdoc />
    public ActorPath Path { get; }

    /// <inheritdoc />
    public ActorSystem System { get; }

    /// <summary>Wall-clock limit for awaiting an expected message (a hang guard, not a timing assertion). Default 30 s.</summary>
    public TimeSpan SafetyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Messages received and not yet consumed by an expectation.</summary>
    public int QueuedCount => _received.Reader.Count;

    /// <summary>Queues <paramref name="message"/> for the expectations; always accepted.</summary>
    public bool Tell(object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return _received.Writer.TryWrite(message);
    }

    /// <inheritdoc />
    public ValueTask<bool> TellAsync(object message, CancellationToken cancellationToken = default) => ValueTask.FromResult(Tell(message));

    /// <summary>
    /// This probe as a reference for a value-type message (contravariance covers reference types
    /// only: for those pass the probe itself).
    /// </summary>
    public IActorRef<T> Ref<T>() => new TypedRef<T>(this);

    /// <summary>Watches <paramref name="actor"/>: its termination arrives here as a <see cref="Terminated"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="actor"/> cannot be watched (not a local actor).</exception>
    public void Watch(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor is not IWatchable watchable)
            throw new ArgumentException($"{actor.Path} cannot be watched: it is not a local actor.", nameof(actor));
        watchable.AddWatcher(_watcher);
    }

    /// <summary>Stops watching <paramref name="actor"/>.</summary>
    public void Unwatch(IActorRef actor)
    {
        if (actor is IWatchable watchable) watchable.RemoveWatcher(_watcher);
    }

    /// <summary>Receives the next message, whatever it is.</summary>
    /// <exception cref="ProbeExpectationException">Nothing arrived within <see cref="SafetyTimeout"/>.</exception>
    public async Task<object> ReceiveAsync()
    {
        try
        {
            return await _received.Reader.ReadAsync().AsTask().WaitAsync(SafetyTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new ProbeExpectationException($"{Path}: expected a message, but none arrived within the safety timeout ({SafetyTimeout}).");
        }
    }

    /// <summary>Expects the next message to be a <typeparamref name="T"/> (matching <paramref name="predicate"/> when given) and returns it.</summary>
    /// <exception cref="ProbeExpectationException">The next message has another type, fails the predicate, or never arrives.</exception>
    public async Task<T> ExpectMsgAsync<T>(Func<T, bool>? predicate = null)
    {
        var message = await ReceiveAsync().ConfigureAwait(false);
        if (message is not T typed)
            throw new ProbeExpectationException($"{Path}: expected a {typeof(T).Name}, got {Describe(message)}.");
        if (predicate is not null && !predicate(typed))
            throw new ProbeExpectationException($"{Path}: got {Describe(message)}, which does not match the expected condition.");
        return typed;
    }

    /// <summary>Expects the next message to equal <paramref name="expected"/>.</summary>
    /// <exception cref="ProbeExpectationException">It differs or never arrives.</exception>
    public async Task<T> ExpectMsgAsync<T>(T expected)
    {
        var message = await ReceiveAsync().ConfigureAwait(false);
        if (message is not T typed || !EqualityComparer<T>.Default.Equals(typed, expected))
            throw new ProbeExpectationException($"{Path}: expected {Describe(expected)}, got {Describe(message)}.");
        return typed;
    }

    /// <summary>
    /// Waits until the actor system is idle, lets <paramref name="duration"/> pass on the system clock
    /// (advancing it when it is a <see cref="ManualClock"/>, which fires every timer due on the way),
    /// waits until the system has no queued or running work again, and then asserts that no message arrived.
    /// </summary>
    /// <exception cref="ProbeExpectationException">A message is queued (it is left for the next expectation).</exception>
    public async Task ExpectNoMsgAsync(TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        // Settle first, so work already under way (e.g. a handler about to arm a timer) sees the
        // current time before the clock moves.
        await WhenSystemIdleAsync().ConfigureAwait(false);
        if (System.Time is ManualClock clock) clock.Advance(duration);
        else await Task.Delay(duration, System.Time).ConfigureAwait(false);
        await WhenSystemIdleAsync().ConfigureAwait(false);
        if (_received.Reader.TryPeek(out var message))
            throw new ProbeExpectationException($"{Path}: expected no message during {duration}, got {Describe(message)}.");
    }

    /// <summary>
    /// Receives messages until one is a <typeparamref name="T"/> for which <paramref name="isTarget"/>
    /// is true, discarding the others, and returns it.
    /// </summary>
    /// <exception cref="ProbeExpectationException">No such message arrives within <see cref="SafetyTimeout"/>.</exception>
    public async Task<T> FishForMessageAsync<T>(Func<T, bool> isTarget)
    {
        ArgumentNullException.ThrowIfNull(isTarget);
        var skipped = new List<string>();
        while (true)
        {
            object message;
            try
            {
                message = await ReceiveAsync().ConfigureAwait(false);
            }
            catch (ProbeExpectationException)
            {
                throw new ProbeExpectationException($"{Path}: fished for a matching {typeof(T).Name} but it never came; skipped: [{string.Join(", ", skipped)}].");
            }
            if (message is T typed && isTarget(typed)) return typed;
            skipped.Add(Describe(message));
        }
    }

    /// <summary>Expects the next message to be the <see cref="Terminated"/> of <paramref name="actor"/> (watch it first).</summary>
    public Task<Terminated> ExpectTerminatedAsync(IActorRef actor) =>
        ExpectMsgAsync<Terminated>(t => ReferenceEquals(t.Actor, actor) || t.Actor.Path.Equals(actor.Path));

    /// <summary>
    /// Runs <paramref name="block"/> and asserts that it took at most <paramref name="max"/> of the
    /// system clock's time. On a <see cref="ManualClock"/> that time passes only through
    /// <see cref="ManualClock.Advance"/> (inside the block or by <see cref="ExpectNoMsgAsync"/>).
    /// </summary>
    public Task WithinAsync(TimeSpan max, Func<Task> block) => WithinAsync(TimeSpan.Zero, max, block);

    /// <summary>Runs <paramref name="block"/> and asserts its clock time lies in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    /// <exception cref="ProbeExpectationException">The block took less than <paramref name="min"/> or more than <paramref name="max"/>.</exception>
    public async Task WithinAsync(TimeSpan min, TimeSpan max, Func<Task> block)
    {
        ArgumentNullException.ThrowIfNull(block);
        if (max < min) throw new ArgumentOutOfRangeException(nameof(max), max, $"The upper bound must be at least the lower bound ({min}).");
        var start = System.Time.GetUtcNow();
        await block().ConfigureAwait(false);
        var elapsed = System.Time.GetUtcNow() - start;
        if (elapsed < min || elapsed > max)
            throw new ProbeExpectationException($"{Path}: the block took {elapsed} of clock time, expected between {min} and {max}.");
    }

    /// <summary>Waits (bounded by <see cref="SafetyTimeout"/>) until no work is queued or running in the actor system.</summary>
    public async Task WhenSystemIdleAsync()
    {
        try
        {
            await System.WhenIdleAsync().WaitAsync(SafetyTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new ProbeExpectationException($"{Path}: the actor system was still busy after the safety timeout ({SafetyTimeout}); {System.Work.Pending} units of work pending.");
        }
    }

    /// <inheritdoc />
    public override string ToString() => Path.ToString();

    private static string Describe(object? message) => message switch
    {
        null => "null",
        string s => $"\"{s}\"",
        _ => $"{message.GetType().Name} {message}",
    };

    /// <summary>Receives death-watch notifications for the probe (kept off the probe's public surface).</summary>
    private sealed class Watcher(TestProbe probe) : IDeathWatcher
    {
        public void OnWatchedTerminated(IActorRef actor) => probe.Tell(new Terminated(actor));
    }

    private sealed class TypedRef<T>(TestProbe probe) : IActorRef<T>
    {
        public ActorPath Path => probe.Path;

        public ActorSystem System => probe.System;

        public bool Tell(T message) => probe.Tell(message!);

        public ValueTask<bool> TellAsync(T message, CancellationToken cancellationToken = default) => ValueTask.FromResult(Tell(message));
    }
}
