using System.Collections.Concurrent;

namespace Vigil.Streams;

/// <summary>A thread-safe <see cref="IDeadLetterSink"/> that keeps every dead letter in memory (tests, demos).</summary>
public sealed class DeadLetterCollector : IDeadLetterSink
{
    private readonly ConcurrentQueue<DeadLetter> _letters = new();

    /// <summary>Every letter received, in arrival order.</summary>
    public IReadOnlyList<DeadLetter> Letters => _letters.ToArray();

    /// <inheritdoc />
    public void Publish(DeadLetter letter) => _letters.Enqueue(letter);
}
