namespace Vigil.Actors.Internal;

/// <summary>Runtime messages an actor handles before its user messages (never bounded by the mailbox).</summary>
internal abstract class SystemMessage
{
}

/// <summary>Stop gracefully; <see cref="Passivation"/> set for a keyed entity's passivation.</summary>
internal sealed class StopRequest(PassivationReason? passivation) : SystemMessage
{
    public PassivationReason? Passivation { get; } = passivation;
}

/// <summary>A watched actor terminated.</summary>
internal sealed class WatchedTerminated(IActorRef actor) : SystemMessage
{
    public IActorRef Actor { get; } = actor;
}

/// <summary>A child escalated a failure to this actor.</summary>
internal sealed class ChildFailed(ActorCellBase child, Exception error) : SystemMessage
{
    public ActorCellBase Child { get; } = child;
    public Exception Error { get; } = error;
}
