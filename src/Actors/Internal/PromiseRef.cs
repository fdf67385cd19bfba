namespace Vigil.Actors.Internal;

/// <summary>
/// The one-shot reply slot of an Ask: an actor reference whose first message completes the Ask.
/// Later messages (a second reply, or a reply after the timeout) go to dead letters.
/// </summary>
internal sealed class PromiseRef<TReply>(ActorSystem system) : IActorRef<TReply>
{
    private readonly TaskCompletionSource<TReply> _reply = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ActorPath Path { get; } = system.NextTempPath();

    public ActorSystem System { get; } = system;

    public Task<TReply> Reply => _reply.Task;

    public bool Tell(TReply message)
    {
        if (_reply.TrySetResult(message)) return true;
        System.PublishDeadLetter(message, Path, DeadLetterReason.AskCompleted, null);
        return false;
    }

    public ValueTask<bool> TellAsync(TReply message, CancellationToken cancellationToken = default) => ValueTask.FromResult(Tell(message));

    /// <summary>Closes the slot so a late reply is reported as a dead letter.</summary>
    public void Abandon() => _reply.TrySetCanceled();
}
