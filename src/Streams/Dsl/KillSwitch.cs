using Vigil.Streams.Dsl;
using Vigil.Streams.Fusion;
using Vigil.Streams.Materialization;

namespace Vigil.Streams;

/// <summary>
/// Stops the graphs it is placed in from outside: <see cref="Shutdown"/> completes downstream
/// and cancels upstream (a graceful stop: what was already past the switch drains normally);
/// <see cref="Abort"/> fails them. One switch may sit in many graphs and many places
/// (<see cref="Flow{T}"/>); after it fired, newly materialized copies stop at once.
/// </summary>
public sealed class SharedKillSwitch
{
    // Internal signal: completes synchronously so waiting stages read as busy at once.
    private readonly TaskCompletionSource<bool> _fired = new();
    private Exception? _error;

    /// <summary>Creates a switch; <paramref name="name"/> names its stages.</summary>
    public SharedKillSwitch(string name = "KillSwitch") => Name = name;

    /// <summary>The switch's name.</summary>
    public string Name { get; }

    /// <summary>True after Shutdown or Abort.</summary>
    public bool IsTriggered => _fired.Task.IsCompleted;

    /// <summary>Completes every graph through this switch.</summary>
    public void Shutdown() => Signal.Set(_fired);

    /// <summary>Fails every graph through this switch with <paramref name="error"/>.</summary>
    public void Abort(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        Interlocked.CompareExchange(ref _error, error, null);
        Signal.Set(_fired);
    }

    /// <summary>A flow passing elements through until the switch fires.</summary>
    public Flow<T, T> Flow<T>() => new(up => StageNode<T>.Linear(up, "KillSwitch",
        (_, input, stage) => new KillSwitchStage<T>(input, this, stage)).With(new StageAttributes(Name, null)));

    internal Task<bool> Fired => _fired.Task;

    internal Exception? Error => Volatile.Read(ref _error);

    /// <summary>
    /// Emits: upstream's elements until the switch fires. Completes: when it fires by Shutdown
    /// (cancelling upstream). Fails: when it fires by Abort.
    /// </summary>
    private sealed class KillSwitchStage<T>(Outlet<T> upstream, SharedKillSwitch killSwitch, StageRuntime stage) : Outlet<T>
    {
        private Task<bool>? _upstreamWait;
        private bool _stopped;

        public override bool TryPull(out T item)
        {
            if (!_stopped && !killSwitch.IsTriggered && upstream.TryPull(out item)) { stage.In++; stage.Out++; return true; }
            item = default!;
            return false;
        }

        public override ValueTask<bool> WaitAsync(CancellationToken cancellationToken)
        {
            if (_stopped) return new(false);
            if (killSwitch.IsTriggered) return Stop();
            if (_upstreamWait is null)
            {
                var wait = upstream.WaitAsync(cancellationToken);
                if (wait.IsCompleted) return wait;
                _upstreamWait = wait.AsTask();
            }
            return WaitEitherAsync(cancellationToken);
        }

        private async ValueTask<bool> WaitEitherAsync(CancellationToken cancellationToken)
        {
            var upstreamWait = _upstreamWait!;
            await Task.WhenAny(upstreamWait, killSwitch.Fired).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (killSwitch.IsTriggered) return await Stop().ConfigureAwait(false);
            _upstreamWait = null;
            return await upstreamWait.ConfigureAwait(false);
        }

        private ValueTask<bool> Stop()
        {
            if (!_stopped) { _stopped = true; upstream.Cancel(); }
            return killSwitch.Error is { } e ? ValueTask.FromException<bool>(new StageFailedException(stage.Name, e)) : new(false);
        }

        public override void Cancel()
        {
            _stopped = true;
            upstream.Cancel();
        }
    }
}
