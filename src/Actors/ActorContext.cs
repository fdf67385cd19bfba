using Microsoft.Extensions.Logging;
using Vigil.Actors.Internal;

namespace Vigil.Actors;

/// <summary>
/// An actor's access to the runtime. Use it only from the actor's own handlers (it is not
/// thread-safe across actors, like the actor's state).
/// </summary>
/// <typeparam name="TMessage">The actor's message type.</typeparam>
public sealed class ActorContext<TMessage>
{
    // The runtime cell this context belongs to.
    private readonly ActorCell<TMessage> _cell;

    internal ActorContext(ActorCell<TMessage> cell) => _cell = cell;

    /// <summary>This actor's reference (to pass as a reply-to).</summary>
    public IActorRef<TMessage> Self => _cell;

    /// <summary>This actor's path.</summary>
    public ActorPath Path => _cell.Path;

    /// <summary>The system this actor lives in.</summary>
    public ActorSystem System => _cell.System;

    /// <summary>The system's clock; use it for every time-based decision so tests can run on a manual clock.</summary>
    public TimeProvider Time => _cell.System.Time;

    /// <summary>A logger whose category is the actor's path.</summary>
    public ILogger Log => _cell.Logger;

    /// <summary>The live children (a snapshot).</summary>
    public IReadOnlyList<IActorRef> Children => _cell.ChildrenSnapshot();

    /// <summary>
    /// Spawns a child named <paramref name="name"/>. Children stop (and drain) before their parent
    /// terminates, and are stopped when the parent restarts.
    /// </summary>
    /// <exception cref="InvalidOperationException">A live child has that name, or this actor is stopping.</exception>
    public IActorRef<TChild> Spawn<TChild>(string name, Func<Actor<TChild>> factory, ActorOptions? options = null) =>
        _cell.SpawnChild(name, factory, options);

    /// <summary>
    /// Watches <paramref name="actor"/>: when it stops, <see cref="Actor{TMessage}.OnTerminatedAsync"/>
    /// runs with a <see cref="Terminated"/> for it (at once if it has already stopped).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="actor"/> is not an actor of this process that can be watched.</exception>
    public void Watch(IActorRef actor) => _cell.Watch(actor);

    /// <summary>Stops watching <paramref name="actor"/>; a notification not yet handled is discarded.</summary>
    public void Unwatch(IActorRef actor) => _cell.Unwatch(actor);

    /// <summary>Stops a child gracefully (it processes what its mailbox holds, then stops).</summary>
    /// <exception cref="ArgumentException"><paramref name="child"/> is not a child of this actor.</exception>
    public void Stop(IActorRef child) => _cell.StopChild(child);

    /// <summary>Stops this actor gracefully after the current message (the rest of the mailbox is processed first).</summary>
    public void StopSelf() => _cell.RequestStop(null);

    /// <summary>
    /// Sends <paramref name="message"/> to this actor after <paramref name="delay"/> on the system clock.
    /// Dispose the result to cancel. A full mailbox at that time dead-letters the message.
    /// </summary>
    public IDisposable ScheduleOnce(TimeSpan delay, TMessage message) => _cell.ScheduleOnce(delay, message);
}
