namespace Vigil.Actors;

/// <summary>Why a message ended up in dead letters.</summary>
public enum DeadLetterReason
{
    /// <summary>The recipient's mailbox was full (a non-waiting <c>Tell</c>).</summary>
    MailboxFull,

    /// <summary>The recipient had stopped or was stopping and no longer accepted messages.</summary>
    ActorStopped,

    /// <summary>The recipient's handler threw while processing the message.</summary>
    HandlerFailed,

    /// <summary>The recipient stopped after a failure before processing the message.</summary>
    DiscardedOnStop,

    /// <summary>A reply reached an Ask that had already completed (timed out, cancelled or answered).</summary>
    AskCompleted,
}
