namespace Vigil.Actors;

/// <summary>What a <see cref="SupervisionStrategy"/> decides for one failure.</summary>
public enum SupervisionDecision
{
    /// <summary>
    /// Re-create the actor from its factory (state reset) after the strategy's backoff; the mailbox
    /// is kept, the failing message goes to dead letters, the old incarnation's children are stopped.
    /// </summary>
    Restart,

    /// <summary>Keep the actor and its state; the failing message goes to dead letters.</summary>
    Resume,

    /// <summary>Stop the actor; the failing message and everything still in the mailbox go to dead letters.</summary>
    Stop,

    /// <summary>
    /// Stop the actor as for <see cref="Stop"/> and fail its parent with an
    /// <see cref="ActorEscalationException"/>, which the parent's own strategy then decides on.
    /// A top-level actor has no parent to escalate to: it stops and the escalation is logged.
    /// </summary>
    Escalate,
}
