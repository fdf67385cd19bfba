using Vigil.Streams.Dsl;

namespace Vigil.Streams;

/// <summary>Linear operators on <see cref="Flow{TIn, TOut}"/>, mirroring <see cref="SourceOperators"/>.</summary>
public static partial class FlowOperators
{
    /// <summary>Transforms each element (fused: a direct call, no queue). A throwing selector is handled by the stage's supervision.</summary>
    /// <param name="flow">The upstream flow.</param>
    /// <param name="selector">The function applied to each element.</param>
    public static Flow<TIn, TOut> Select<TIn, T, TOut>(this Flow<TIn, T> flow, Func<T, TOut> selector) =>
        flow.Append(Ops.Select(selector));

    /// <summary>
    /// Transforms each element with the state of its key (fused): the state is created by
    /// <paramref name="createState"/> on the key's first element and kept for the materialization,
    /// one per key. A throwing step is handled by supervision (Restart also drops the key's state).
    /// </summary>
    /// <param name="flow">The upstream flow.</param>
    /// <param name="keySelector">The element's key (patient, device).</param>
    /// <param name="createState">The key's state, from the key and its first element.</param>
    /// <param name="step">The output for an element, given its key's state (which it may update).</param>
    public static Flow<TIn, TOut> SelectPerKey<TIn, T, TKey, TState, TOut>(this Flow<TIn, T> flow, Func<T, TKey> keySelector,
        Func<TKey, T, TState> createState, Func<TState, T, TOut> step) where TKey : notnull =>
        flow.Append(Ops.SelectPerKey(keySelector, createState, step));

    /// <summary>Passes only elements matching <paramref name="predicate"/> (fused).</summary>
    /// <param name="flow">The upstream flow.</param>
    /// <param name="predicate">Elements for which this is true pass.</param>
    public static Flow<TIn, T> Where<TIn, T>(this Flow<TIn, T> flow, Func<T, bool> predicate) =>
        flow.Append(Ops.Where<T>(predicate));

    /// <summary>Passes the first <paramref name="count"/> elements, then completes and cancels upstream.</summary>
    /// <param name="flow">The upstream flow.</param>
    /// <param name="count">How many elements to pass.</param>
    public static Flow<TIn, T> Take<TIn, T>(this Flow<TIn, T> flow, long count) =>
        flow.Append(Ops.Take<T>(count));

    /// <summary>Runs <paramref name="selector"/> on up to <paramref name="parallelism"/> elements at once; emits results in upstream order.</summary>
    /// <param name="flow">The upstream flow.</param>
    /// <param name="parallelism">The most calls in flight at once.</param>
    /// <param name="selector">The function applied to each element.</param>
    public static Flow<TIn, TOut> SelectAsync<TIn, T, TOut>(this Flow<TIn, T> flow, int parallelism, Func<T, Task<TOut>> selector) =>
        flow.Append(Ops.SelectAsync(parallelism, selector));

    /// <summary>Runs <paramref name="selector"/> on up to <paramref name="parallelism"/> elements at once; emits results as they complete.</summary>
    /// <param name="flow">The upstream flow.</param>
    /// <param name="parallelism">The most calls in flight at once.</param>
    /// <param name="selector">The function applied to each element.</param>
    public static Flow<TIn, TOut> SelectAsyncUnordered<TIn, T, TOut>(this Flow<TIn, T> flow, int parallelism, Func<T, Task<TOut>> selector) =>
        flow.Append(Ops.SelectAsyncUnordered(parallelism, selector));

    /// <summary>Declares an asynchronous boundary: stages before it run concurrently with stages after it, joined by a bounded single-producer/single-consumer buffer (default size from the materializer options).</summary>
    /// <param name="flow">The upstream flow.</param>
    /// <param name="bufferSize">Capacity of the boundary's buffer (null: materializer default).</param>
    public static Flow<TIn, T> Async<TIn, T>(this Flow<TIn, T> flow, int? bufferSize = null) =>
        flow.Append(Ops.Async<T>(bufferSize));

    /// <summary>Buffers up to <paramref name="size"/> elements, decoupling upstream from downstream; <paramref name="strategy"/> says what happens when full.</summary>
    /// <param name="flow">The upstream flow.</param>
    /// <param name="size">Window (or buffer) size.</param>
    /// <param name="strategy">What to do when the buffer is full.</param>
    public static Flow<TIn, T> Buffer<TIn, T>(this Flow<TIn, T> flow, int size, OverflowStrategy strategy) =>
        flow.Append(Ops.Buffer<T>(size, strategy));

    /// <summary>Groups elements into lists of at most <paramref name="maxCount"/>, emitting a group early when <paramref name="maxDuration"/> passed (on the materializer's clock) since its first element.</summary>
    /// <param name="flow">The upstream flow.</param>
    /// <param name="maxCount">The most elements per group.</param>
    /// <param name="maxDuration">The longest a group stays open after its first element.</param>
    public static Flow<TIn, IReadOnlyList<T>> GroupedWithin<TIn, T>(this Flow<TIn, T> flow, int maxCount, TimeSpan maxDuration) =>
        flow.Append(Ops.GroupedWithin<T>(maxCount, maxDuration));

    /// <summary>Splits the stream by key into per-key substreams (e.g. per patient), each running its own copy of the flow that <paramref name="substream"/> returns for the key, and merges their outputs. At most <paramref name="maxKeys"/> substreams live at once (a new key completes the least recently active one); a substream idle for <paramref name="idleTimeout"/> on the materializer's clock is completed. Completing a substream completes its flow, so per-key state (windows, aggregates) is flushed, never lost.</summary>
    /// <param name="flow">The upstream flow.</param>
    /// <param name="keySelector">The element's key (patient, device).</param>
    /// <param name="substream">The flow to run per key, given the key.</param>
    /// <param name="maxKeys">The most substreams alive at once.</param>
    /// <param name="idleTimeout">Complete a substream after this long without elements (null: never).</param>
    public static Flow<TIn, TOut> GroupBy<TIn, T, TKey, TOut>(this Flow<TIn, T> flow, Func<T, TKey> keySelector, Func<TKey, Flow<T, TOut>> substream, int maxKeys, TimeSpan? idleTimeout = null) where TKey : notnull =>
        flow.Append(Ops.GroupBy(keySelector, substream, maxKeys, idleTimeout));

    /// <summary>Emits the running accumulation (not the seed). Under Restart supervision a failing element resets the accumulator to <paramref name="seed"/>.</summary>
    /// <param name="flow">The upstream flow.</param>
    /// <param name="seed">The initial accumulator.</param>
    /// <param name="fold">Combines the accumulator with an element.</param>
    public static Flow<TIn, TAccumulate> Scan<TIn, T, TAccumulate>(this Flow<TIn, T> flow, TAccumulate seed, Func<TAccumulate, T, TAccumulate> fold) =>
        flow.Append(Ops.Scan(seed, fold));

    /// <summary>When upstream fails (with an error <paramref name="when"/> accepts; default: any), emits <paramref name="handler"/>'s element for the error and completes normally instead.</summary>
    /// <param name="flow">The upstream flow.</param>
    /// <param name="handler">The last element to emit, given the error.</param>
    /// <param name="when">Which errors to recover from (null: all).</param>
    public static Flow<TIn, T> Recover<TIn, T>(this Flow<TIn, T> flow, Func<Exception, T> handler, Func<Exception, bool>? when = null) =>
        flow.Append(Ops.Recover(handler, when));

    /// <summary>Tumbling windows by count: lists of <paramref name="size"/> consecutive elements (the last may be shorter).</summary>
    /// <param name="flow">The upstream flow.</param>
    /// <param name="size">Window (or buffer) size.</param>
    public static Flow<TIn, IReadOnlyList<T>> Grouped<TIn, T>(this Flow<TIn, T> flow, int size) =>
        flow.Append(Ops.Sliding<T>(size, size));

    /// <summary>Sliding windows by count: <paramref name="size"/> consecutive elements, a new window every <paramref name="step"/> elements (overlapping when step &lt; size).</summary>
    /// <param name="flow">The upstream flow.</param>
    /// <param name="size">Window (or buffer) size.</param>
    /// <param name="step">Elements between window starts.</param>
    public static Flow<TIn, IReadOnlyList<T>> Sliding<TIn, T>(this Flow<TIn, T> flow, int size, int step) =>
        flow.Append(Ops.Sliding<T>(size, step));

    /// <summary>Limits the rate to <paramref name="elements"/> per <paramref name="per"/>, allowing bursts of <paramref name="maximumBurst"/>, on the materializer's clock. Shapes (backpressures), never drops.</summary>
    /// <param name="flow">The upstream flow.</param>
    /// <param name="elements">Elements allowed per period.</param>
    /// <param name="per">The period.</param>
    /// <param name="maximumBurst">Tokens the bucket holds (burst size).</param>
    public static Flow<TIn, T> Throttle<TIn, T>(this Flow<TIn, T> flow, int elements, TimeSpan per, int maximumBurst = 1) =>
        flow.Append(Ops.Throttle<T>(elements, per, maximumBurst));

    /// <summary>Windows by event time: tumbling when <paramref name="slide"/> is null, sliding otherwise. Late-data policy: the watermark is the largest event time seen minus <paramref name="allowedLateness"/>; a window is emitted (elements sorted by event time) when the watermark passes its end; an element whose windows were all emitted goes to the dead letters with a <see cref="LateElementException"/>. Open windows are emitted when upstream completes.</summary>
    /// <param name="flow">The upstream flow.</param>
    /// <param name="eventTime">When the element was measured.</param>
    /// <param name="size">Window (or buffer) size.</param>
    /// <param name="slide">Time between window starts (null: tumbling).</param>
    /// <param name="allowedLateness">How far out of order data may arrive and still count.</param>
    public static Flow<TIn, EventTimeWindow<T>> WindowByEventTime<TIn, T>(this Flow<TIn, T> flow, Func<T, DateTimeOffset> eventTime, TimeSpan size, TimeSpan? slide = null, TimeSpan allowedLateness = default) =>
        flow.Append(Ops.WindowByEventTime(eventTime, size, slide, allowedLateness));
}
