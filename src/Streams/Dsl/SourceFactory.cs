using Vigil.Streams.Dsl;
using Vigil.Streams.Stages;

namespace Vigil.Streams;

/// <summary>Factories for sources.</summary>
public static class Source
{
    /// <summary>Emits the elements of <paramref name="items"/> (enumerated afresh per materialization).</summary>
    public static Source<T> From<T>(IEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return new(StageNode<T>.Leaf("From", (_, stage) => new EnumerableSource<T>(items, stage)));
    }

    /// <summary>Emits the elements of an async sequence; its enumeration is cancelled when the graph is.</summary>
    public static Source<T> FromAsyncEnumerable<T>(IAsyncEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return new(StageNode<T>.Leaf("FromAsyncEnumerable", (_, stage) => new AsyncEnumerableSource<T>(items, stage)));
    }

    /// <summary>Emits one element, then completes.</summary>
    public static Source<T> Single<T>(T element) => From(new[] { element });

    /// <summary>Completes at once.</summary>
    public static Source<T> Empty<T>() => From(Array.Empty<T>());

    /// <summary>Fails at once with <paramref name="error"/>.</summary>
    public static Source<T> Failed<T>(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new(StageNode<T>.Leaf("Failed", (_, _) => new FailedSource<T>(error)));
    }

    /// <summary>
    /// A source fed from outside while it runs (live ingest): returns the queue you offer into;
    /// its <see cref="SourceQueue{T}.Source"/> goes into the graph. See <see cref="SourceQueue{T}"/>.
    /// </summary>
    public static SourceQueue<T> Queue<T>(int capacity) => new(capacity);
}
