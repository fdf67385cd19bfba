using Vigil.Streams.Dsl;

namespace Vigil.Streams;

/// <summary>
/// Linear operators on <see cref="Source{T}"/> (generated from the same table as
/// <see cref="FlowOperators"/> so the two DSLs never drift). Stage semantics: docs/streams.md.
/// </summary>
public static partial class SourceOperators
{
    /// <summary>Transforms each element (fused: a direct call, no queue). A throwing selector is handled by the stage's supervision.</summary>
    /// <param name="source">The upstream source.</param>
    /// <param name="selector">The function applied to each element.</param>
    public static Source<TOut> Select<T, TOut>(this Source<T> source, Func<T, TOut> selector) =>
        source.Append(Ops.Select(selector));

    /// <summary>
    /// Transforms each element with the state of its key (fused): the state is created by
    /// <paramref name="createState"/> on the key's first element and kept for the materialization,
    /// one per key. A throwing step is handled by supervision (Restart also drops the key's state).
    /// </summary>
    /// <param name="source">The upstream source.</param>
    /// <param name="keySelector">The element's key (patient, device).</param>
    /// <param name="createState">The key's state, from the key and its first element.</param>
    /// <param name="step">The output for an element, given its key's state (which it may update).</param>
    public static Source<TOut> SelectPerKey<T, TKey, TState, TOut>(this Source<T> source, Func<T, TKey> keySelector,
        Func<TKey, T, TState> createState, Func<TState, T, TOut> step) where TKey : notnull =>
        source.Append(Ops.SelectPerKey(keySelector, createState, step));

    /// <summary>
    /// <see cref="SelectPerKey{T, TKey, TState, TOut}(Source{T}, Func{T, TKey}, Func{TKey, T, TState}, Func{TState, T, TOut})"/>
    /// on <paramref name="lanes"/> lanes running in parallel: Partition by a hash of the key, each
    /// lane a SelectPerKey behind an async boundary, Merge. One key always lands on the same lane,
    /// so its elements are handled in order and its state is never shared; outputs of different
    /// keys interleave. Cheaper per element than GroupBy (no loop per key), without its idle
    /// expiry and live-key bound: for many keys of steady traffic (thousands of patients).
    /// </summary>
    /// <param name="source">The upstream source.</param>
    /// <param name="keySelector">The element's key (patient, device).</param>
    /// <param name="createState">The key's state, from the key and its first element.</param>
    /// <param name="step">The output for an element, given its key's state (which it may update).</param>
    /// <param name="lanes">Parallel lanes (e.g. one per core).</param>
    /// <param name="keyComparer">How keys are compared and hashed (null: the default comparer).</param>
    public static Source<TOut> SelectPerKey<T, TKey, TState, TOut>(this Source<T> source, Func<T, TKey> keySelector,
        Func<TKey, T, TState> createState, Func<TState, T, TOut> step, int lanes, IEqualityComparer<TKey>? keyComparer = null) where TKey : notnull
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lanes, 1);
        ArgumentNullException.ThrowIfNull(keySelector);
        if (lanes == 1) return source.SelectPerKey(keySelector, createState, step).Async();
        var comparer = keyComparer ?? EqualityComparer<TKey>.Default;
        var parts = source.Partition(lanes, e => (int)((uint)comparer.GetHashCode(keySelector(e)) % (uint)lanes));
        var outputs = parts.Select(p => p.SelectPerKey(keySelector, createState, step).Async()).ToArray();
        return outputs[0].Merge(outputs[1..]);
    }

    /// <summary>Passes only elements matching <paramref name="predicate"/> (fused).</summary>
    /// <param name="source">The upstream source.</param>
    /// <param name="predicate">Elements for which this is true pass.</param>
    public static Source<T> Where<T>(this Source<T> source, Func<T, bool> predicate) =>
        source.Append(Ops.Where<T>(predicate));

    /// <summary>Passes the first <paramref name="count"/> elements, then completes and cancels upstream.</summary>
    /// <param name="source">The upstream source.</param>
    /// <param name="count">How many elements to pass.</param>
    public static Source<T> Take<T>(this Source<T> source, long count) =>
        source.Append(Ops.Take<T>(count));

    /// <summary>Runs <paramref name="selector"/> on up to <paramref name="parallelism"/> elements at once; emits results in upstream order.</summary>
    /// <param name="source">The upstream source.</param>
    /// <param name="parallelism">The most calls in flight at once.</param>
    /// <param name="selector">The function applied to each element.</param>
    public static Source<TOut> SelectAsync<T, TOut>(this Source<T> source, int parallelism, Func<T, Task<TOut>> selector) =>
        source.Append(Ops.SelectAsync(parallelism, selector));

    /// <summary>Runs <paramref name="selector"/> on up to <paramref name="parallelism"/> elements at once; emits results as they complete.</summary>
    /// <param name="source">The upstream source.</param>
    /// <param name="parallelism">The most calls in flight at once.</param>
    /// <param name="selector">The function applied to each element.</param>
    public static Source<TOut> SelectAsyncUnordered<T, TOut>(this Source<T> source, int parallelism, Func<T, Task<TOut>> selector) =>
        source.Append(Ops.SelectAsyncUnordered(parallelism, selector));

    /// <summary>Declares an asynchronous boundary: stages before it run concurrently with stages after it, joined by a bounded single-producer/single-consumer buffer (default size from the materializer options).</summary>
    /// <param name="source">The upstream source.</param>
    /// <param name="bufferSize">Capacity of the boundary's buffer (null: materializer default).</param>
    public static Source<T> Async<T>(this Source<T> source, int? bufferSize = null) =>
        source.Append(Ops.Async<T>(bufferSize));

    /// <summary>Buffers up to <paramref name="size"/> elements, decoupling upstream from downstream; <paramref name="strategy"/> says what happens when full.</summary>
    /// <param name="source">The upstream source.</param>
    /// <param name="size">Window (or buffer) size.</param>
    /// <param name="strategy">What to do when the buffer is full.</param>
    public static Source<T> Buffer<T>(this Source<T> source, int size, OverflowStrategy strategy) =>
        source.Append(Ops.Buffer<T>(size, strategy));

    /// <summary>Groups elements into lists of at most <paramref name="maxCount"/>, emitting a group early when <paramref name="maxDuration"/> passed (on the materializer's clock) since its first element.</summary>
    /// <param name="source">The upstream source.</param>
    /// <param name="maxCount">The most elements per group.</param>
    /// <param name="maxDuration">The longest a group stays open after its first element.</param>
    public static Source<IReadOnlyList<T>> GroupedWithin<T>(this Source<T> source, int maxCount, TimeSpan maxDuration) =>
        source.Append(Ops.GroupedWithin<T>(maxCount, maxDuration));

    /// <summary>Splits the stream by key into per-key substreams (e.g. per patient), each running its own copy of the flow that <paramref name="substream"/> returns for the key, and merges their outputs. At most <paramref name="maxKeys"/> substreams live at once (a new key completes the least recently active one); a substream idle for <paramref name="idleTimeout"/> on the materializer's clock is completed. Completing a substream completes its flow, so per-key state (windows, aggregates) is flushed, never lost.</summary>
    /// <param name="source">The upstream source.</param>
    /// <param name="keySelector">The element's key (patient, device).</param>
    /// <param name="substream">The flow to run per key, given the key.</param>
    /// <param name="maxKeys">The most substreams alive at once.</param>
    /// <param name="idleTimeout">Complete a substream after this long without elements (null: never).</param>
    public static Source<TOut> GroupBy<T, TKey, TOut>(this Source<T> source, Func<T, TKey> keySelector, Func<TKey, Flow<T, TOut>> substream, int maxKeys, TimeSpan? idleTimeout = null) where TKey : notnull =>
        source.Append(Ops.GroupBy(keySelector, substream, maxKeys, idleTimeout));

    /// <summary>Emits the running accumulation (not the seed). Under Restart supervision a failing element resets the accumulator to <paramref name="seed"/>.</summary>
    /// <param name="source">The upstream source.</param>
    /// <param name="seed">The initial accumulator.</param>
    /// <param name="fold">Combines the accumulator with an element.</param>
    public static Source<TAccumulate> Scan<T, TAccumulate>(this Source<T> source, TAccumulate seed, Func<TAccumulate, T, TAccumulate> fold) =>
        source.Append(Ops.Scan(seed, fold));

    /// <summary>When upstream fails (with an error <paramref name="when"/> accepts; default: any), emits <paramref name="handler"/>'s element for the error and completes normally instead.</summary>
    /// <param name="source">The upstream source.</param>
    /// <param name="handler">The last element to emit, given the error.</param>
    /// <param name="when">Which errors to recover from (null: all).</param>
    public static Source<T> Recover<T>(this Source<T> source, Func<Exception, T> handler, Func<Exception, bool>? when = null) =>
        source.Append(Ops.Recover(handler, when));

    /// <summary>Tumbling windows by count: lists of <paramref name="size"/> consecutive elements (the last may be shorter).</summary>
    /// <param name="source">The upstream source.</param>
    /// <param name="size">Window (or buffer) size.</param>
    public static Source<IReadOnlyList<T>> Grouped<T>(this Source<T> source, int size) =>
        source.Append(Ops.Sliding<T>(size, size));

    /// <summary>Sliding windows by count: <paramref name="size"/> consecutive elements, a new window every <paramref name="step"/> elements (overlapping when step &lt; size).</summary>
    /// <param name="source">The upstream source.</param>
    /// <param name="size">Window (or buffer) size.</param>
    /// <param name="step">Elements between window starts.</param>
    public static Source<IReadOnlyList<T>> Sliding<T>(this Source<T> source, int size, int step) =>
        source.Append(Ops.Sliding<T>(size, step));

    /// <summary>Limits the rate to <paramref name="elements"/> per <paramref name="per"/>, allowing bursts of <paramref name="maximumBurst"/>, on the materializer's clock. Shapes (backpressures), never drops.</summary>
    /// <param name="source">The upstream source.</param>
    /// <param name="elements">Elements allowed per period.</param>
    /// <param name="per">The period.</param>
    /// <param name="maximumBurst">Tokens the bucket holds (burst size).</param>
    public static Source<T> Throttle<T>(this Source<T> source, int elements, TimeSpan per, int maximumBurst = 1) =>
        source.Append(Ops.Throttle<T>(elements, per, maximumBurst));

    /// <summary>Windows by event time: tumbling when <paramref name="slide"/> is null, sliding otherwise. Late-data policy: the watermark is the largest event time seen minus <paramref name="allowedLateness"/>; a window is emitted (elements sorted by event time) when the watermark passes its end; an element whose windows were all emitted goes to the dead letters with a <see cref="LateElementException"/>. Open windows are emitted when upstream completes.</summary>
    /// <param name="source">The upstream source.</param>
    /// <param name="eventTime">When the element was measured.</param>
    /// <param name="size">Window (or buffer) size.</param>
    /// <param name="slide">Time between window starts (null: tumbling).</param>
    /// <param name="allowedLateness">How far out of order data may arrive and still count.</param>
    public static Source<EventTimeWindow<T>> WindowByEventTime<T>(this Source<T> source, Func<T, DateTimeOffset> eventTime, TimeSpan size, TimeSpan? slide = null, TimeSpan allowedLateness = default) =>
        source.Append(Ops.WindowByEventTime(eventTime, size, slide, allowedLateness));
}
