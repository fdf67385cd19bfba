namespace Vigil.Actors;

/// <summary>
/// The untyped identity of an actor (or of anything that can receive messages like one, such as a
/// test probe or an Ask's reply slot): its path and the system it lives in. Used for death watch
/// and in notifications (<see cref="Terminated"/>, <see cref="ActorDeadLetter"/>).
/// </summary>
public interface IActorRef
{
    /// <summary>The actor's unique path, e.g. <c>vigil://clinic/user/patients/p-17</c>.</summary>
    ActorPath Path { get; }

    /// <summary>The system the actor lives in (its clock, dead letters and logging).</summary>
    ActorSystem System { get; }
}

/// <summary>
/// A typed handle to an actor accepting <typeparamref name="TMessage"/>. Contravariant, so an
/// <c>IActorRef&lt;object&gt;</c> (a test probe) can be passed wherever a reply-to of any reference
/// type is expected.
/// </summary>
/// <remarks>
/// Mailbox policy: every actor has a bounded mailbox. <see cref="Tell"/> never blocks: when the
/// mailbox is full or the actor has stopped, the message is rejected, published to the system's
/// dead letters with the reason, and <c>false</c> is returned. <see cref="TellAsync"/> applies
/// backpressure instead: it waits for room, and only a stopped actor rejects (again to dead letters).
/// Nothing is dropped silently.
/// </remarks>
/// <typeparam name="TMessage">The message type the actor handles.</typeparam>
public interface IActorRef<in TMessage> : IActorRef
{
    /// <summary>
    /// Enqueues <paramref name="message"/> without waiting. Returns <c>false</c> (and publishes a
    /// dead letter) when the mailbox is full or the actor has stopped.
    /// </summary>
    bool Tell(TMessage message);

    /// <summary>
    /// Enqueues <paramref name="message"/>, waiting for mailbox room (backpressure). Completes with
    /// <c>false</c> (and publishes a dead letter) when the actor has stopped or stops while waiting.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired while waiting for room.</exception>
    ValueTask<bool> TellAsync(TMessage message, CancellationToken cancellationToken = default);
}
