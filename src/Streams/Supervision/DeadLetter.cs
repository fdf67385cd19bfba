namespace Vigil.Streams;

/// <summary>
/// An element a stage could not process and skipped under <see cref="SupervisionDirective.Resume"/>
/// or <see cref="SupervisionDirective.Restart"/>, or one an operator refused by policy (for example
/// data later than a window's allowed lateness). Nothing is dropped silently: it lands here.
/// </summary>
/// <param name="Stage">The stage that gave up on the element.</param>
/// <param name="Element">The element itself.</param>
/// <param name="Error">Why: the user function's exception, or a policy exception.</param>
/// <param name="Directive">The directive that was applied.</param>
/// <param name="At">When, on the materializer's clock.</param>
public sealed record DeadLetter(string Stage, object? Element, Exception Error, SupervisionDirective Directive, DateTimeOffset At);

/// <summary>Receives dead letters; implementations must be thread-safe and must not block.</summary>
public interface IDeadLetterSink
{
    /// <summary>Accepts one dead letter.</summary>
    void Publish(DeadLetter letter);
}
