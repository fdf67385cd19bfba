using Microsoft.Extensions.Logging;

namespace Vigil.Actors.Internal;

/// <summary>
/// The part of an actor's runtime that does not depend on its message type: identity, hierarchy
/// (children), death watch and termination. <see cref="ActorCell{TMessage}"/> adds the mailbox and loop.
/// </summary>
internal abstract class ActorCellBase : IActorRef, IWatchable
{
    // Live children by name; guarded by itself. Closed (no more spawns) once the actor stops.
    private readonly Dictionary<string, ActorCellBase> _children = new(StringComparer.Ordinal);
    // True once this actor is stopping for good: spawning a child is refused from then on.
    private bool _childrenClosed;
    // Who to notify on termination; guarded by _watchGate; null once terminated (notified already).
    private List<IDeathWatcher>? _watchers = new();
    private readonly object _watchGate = new();
    // Completed when the actor has fully terminated (children stopped, PostStop run, watchers notified).
    private readonly TaskCompletionSource _terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected ActorCellBase(ActorSystem system, ActorCellBase? parent, ActorPath path)
    {
        System = system;
        Parent = parent;
        Path = path;
        Logger = system.LoggerFactory.CreateLogger("Vigil.Actors." + path.Name);
    }

    public ActorPath Path { get; }

    public ActorSystem System { get; }

    /// <summary>The supervising parent; null for top-level actors (including keyed entities).</summary>
    public ActorCellBase? Parent { get; }

    public ILogger Logger { get; }

    /// <summary>Completes when the actor has terminated.</summary>
    public Task Terminated => _terminated.Task;

    /// <summary>Queues a runtime message; false when the actor has already terminated.</summary>
    public abstract bool PostSystem(SystemMessage message);

    /// <summary>Asks for a graceful stop (drain the mailbox, stop children, then terminate).</summary>
    public void RequestStop(PassivationReason? passivation) => PostSystem(new StopRequest(passivation));

    public IReadOnlyList<IActorRef> ChildrenSnapshot()
    {
        lock (_children) return _children.Values.ToArray();
    }

    protected ActorCellBase[] ChildCellsSnapshot()
    {
        lock (_children) return _children.Values.ToArray();
    }

    protected bool IsChild(ActorCellBase cell)
    {
        lock (_children) return _children.TryGetValue(cell.Path.Name, out var c) && ReferenceEquals(c, cell);
    }

    protected void AddChild(ActorCellBase child)
    {
        lock (_children)
        {
            if (_childrenClosed)
                throw new InvalidOperationException($"{Path} is stopping; it cannot spawn {child.Path.Name}.");
            if (!_children.TryAdd(child.Path.Name, child))
                throw new InvalidOperationException($"{Path} already has a live child named '{child.Path.Name}'.");
        }
    }

    private void RemoveChild(ActorCellBase child)
    {
        lock (_children)
            if (_children.TryGetValue(child.Path.Name, out var c) && ReferenceEquals(c, child))
                _children.Remove(child.Path.Name);
    }

    protected void CloseChildren()
    {
        lock (_children) _childrenClosed = true;
    }

    /// <summary>Stops every child gracefully and waits until all have terminated.</summary>
    protected async Task StopChildrenAsync()
    {
        var children = ChildCellsSnapshot();
        if (children.Length == 0) return;
        foreach (var child in children) child.RequestStop(null);
        await Task.WhenAll(children.Select(c => c.Terminated)).ConfigureAwait(false);
    }

    /// <summary>Registers <paramref name="watcher"/>; notifies it at once when already terminated.</summary>
    public void AddWatcher(IDeathWatcher watcher)
    {
        lock (_watchGate)
        {
            if (_watchers is not null)
            {
                if (!_watchers.Contains(watcher)) _watchers.Add(watcher);
                return;
            }
        }
        watcher.OnWatchedTerminated(this);
    }

    public void RemoveWatcher(IDeathWatcher watcher)
    {
        lock (_watchGate) _watchers?.Remove(watcher);
    }

    /// <summary>
    /// The last step of termination: leave the parent and the system, notify watchers, complete
    /// <see cref="Terminated"/>. Watchers are notified before the caller releases its own work
    /// token so the system never looks idle with a notification still to deliver.
    /// </summary>
    protected void CompleteTermination()
    {
        Parent?.RemoveChild(this);
        System.OnTopLevelTerminated(this);
        List<IDeathWatcher> watchers;
        lock (_watchGate)
        {
            watchers = _watchers ?? [];
            _watchers = null;
        }
        foreach (var w in watchers) w.OnWatchedTerminated(this);
        ActorLog.Stopped(Logger, Path);
        _terminated.TrySetResult();
    }

    public override string ToString() => Path.ToString();
}
