namespace Vigil.Actors;

/// <summary>
/// Base class of a typed actor. The system creates instances from a factory, calls
/// <see cref="ReceiveAsync"/> for one message at a time (an async handler finishes before the next
/// message starts), and re-creates the actor from the factory on restart, so state held in fields is
/// reset by a restart.
/// </summary>
/// <typeparam name="TMessage">The messages the actor handles.</typeparam>
public abstract class Actor<TMessage>
{
    // Set by the runtime before PreStartAsync; one context per actor, shared across incarnations.
    private ActorContext<TMessage>? _context;

    /// <summary>The actor's view of the runtime: itself, children, watch, timers.</summary>
    /// <exception cref="InvalidOperationException">Read in the constructor (the context is attached just before <see cref="PreStartAsync"/>).</exception>
    protected ActorContext<TMessage> Context =>
        _context ?? throw new InvalidOperationException($"{GetType().Name}: the actor context is available from PreStartAsync on, not in the constructor.");

    /// <summary>Handles one message. An exception is a failure, decided by the actor's supervision strategy.</summary>
    protected abstract ValueTask ReceiveAsync(TMessage message);

    /// <summary>Runs after the incarnation is created and before its first message (spawn children here).</summary>
    protected virtual ValueTask PreStartAsync() => ValueTask.CompletedTask;

    /// <summary>Runs when the incarnation ends: on stop (after its children stopped) and before a restart.</summary>
    protected virtual ValueTask PostStopAsync() => ValueTask.CompletedTask;

    /// <summary>Handles the death-watch notification for an actor this one watches (default: ignore).</summary>
    protected virtual ValueTask OnTerminatedAsync(Terminated terminated) => ValueTask.CompletedTask;

    /// <summary>
    /// Called on a keyed entity when it is passivated (idle, evicted, explicitly handed off or at
    /// shutdown), after its mailbox drained and before <see cref="PostStopAsync"/>. The returned
    /// object is the entity's handed-out state (e.g. a patient's tracker state to move to another
    /// node); default <c>null</c>.
    /// </summary>
    protected virtual ValueTask<object?> OnPassivateAsync(PassivationReason reason) => ValueTask.FromResult<object?>(null);

    /// <summary>Attaches the runtime context (internal: only the runtime creates contexts).</summary>
    internal void Attach(ActorContext<TMessage> context) => _context = context;

    // Entry points for the runtime; the hooks stay protected so only the actor and the runtime call them.
    internal ValueTask InvokeReceiveAsync(TMessage message) => ReceiveAsync(message);
    internal ValueTask InvokePreStartAsync() => PreStartAsync();
    internal ValueTask InvokePostStopAsync() => PostStopAsync();
    internal ValueTask InvokeOnTerminatedAsync(Terminated terminated) => OnTerminatedAsync(terminated);
    internal ValueTask<object?> InvokeOnPassivateAsync(PassivationReason reason) => OnPassivateAsync(reason);
}

/// <summary>Helpers for actors written as a single handler function.</summary>
public static class Actor
{
    /// <summary>An actor whose behaviour is <paramref name="receive"/> (stateless, or state captured by the factory).</summary>
    public static Actor<TMessage> FromHandler<TMessage>(Func<TMessage, ActorContext<TMessage>, ValueTask> receive)
    {
        ArgumentNullException.ThrowIfNull(receive);
        return new HandlerActor<TMessage>(receive);
    }

    private sealed class HandlerActor<TMessage>(Func<TMessage, ActorContext<TMessage>, ValueTask> receive) : Actor<TMessage>
    {
        protected override ValueTask ReceiveAsync(TMessage message) => receive(message, Context);
    }
}
