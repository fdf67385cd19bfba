namespace Vigil.Actors;

/// <summary>
/// A message that was not processed, with where it was going and why. Every rejected or failed
/// message becomes one, so nothing is dropped silently.
/// </summary>
/// <param name="Message">The message itself.</param>
/// <param name="Recipient">The path of the actor it was sent to.</param>
/// <param name="Reason">Why it was not processed.</param>
/// <param name="Error">The handler's exception for <see cref="DeadLetterReason.HandlerFailed"/>; otherwise <c>null</c>.</param>
/// <param name="Timestamp">When it was published (the system's clock).</param>
public sealed record ActorDeadLetter(object? Message, ActorPath Recipient, DeadLetterReason Reason, Exception? Error, DateTimeOffset Timestamp);
