namespace Vigil.Streams.Supervision;

/// <summary>An element a stage could not process, with the reason, sent to the stage's dead-letter output.</summary>
/// <param name="Element">The element as it arrived at the stage.</param>
/// <param name="Error">Why it was refused.</param>
/// <param name="Stage">The stage's name.</param>
/// <typeparam name="T">Element type.</typeparam>
public sealed record DeadLetter<T>(T Element, Exception Error, string Stage)
{
    /// <summary>One line for logs: stage, then reason.</summary>
    public override string ToString() => $"dead letter at '{Stage}': {Error.Message}";
}
