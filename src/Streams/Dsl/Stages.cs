using Vigil.Streams.Fusion;
using Vigil.Streams.Stages;

namespace Vigil.Streams.Dsl;

/// <summary>
/// Each operator defined once as a node transformer, shared by the Source and Flow DSLs.
/// </summary>
internal static class Ops
{
    public static Func<StageNode<TIn>, StageNode<TOut>> Select<TIn, TOut>(Func<TIn, TOut> selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        return up => StageNode<TOut>.Linear(up, "Select", (_, input, stage) => new SelectStage<TIn, TOut>(input, selector, stage));
    }

    public static Func<StageNode<TIn>, StageNode<TOut>> SelectPerKey<TIn, TKey, TState, TOut>(
        Func<TIn, TKey> keySelector, Func<TKey, TIn, TState> createState, Func<TState, TIn, TOut> step) where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(keySelector);
        ArgumentNullException.ThrowIfNull(createState);
        ArgumentNullException.ThrowIfNull(step);
        return up => StageNode<TOut>.Linear(up, "SelectPerKey",
            (_, input, stage) => new SelectPerKeyStage<TIn, TKey, TState, TOut>(input, keySelector, createState, step, stage));
    }

    public static Func<StageNode<T>, StageNode<T>> Where<T>(Func<T, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return up => StageNode<T>.Linear(up, "Where", (_, input, stage) => new WhereStage<T>(input, predicate, stage), filters: true);
    }

    public static Func<StageNode<T>, StageNode<T>> Take<T>(long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return up => StageNode<T>.Linear(up, "Take", (_, input, stage) => new TakeStage<T>(input, count, stage), filters: true);
    }

    public static Func<StageNode<TIn>, StageNode<TOut>> SelectAsync<TIn, TOut>(int parallelism, Func<TIn, Task<TOut>> selector)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        ArgumentNullException.ThrowIfNull(selector);
        return up => StageNode<TOut>.Linear(up, "SelectAsync", (_, input, stage) => new SelectAsyncStage<TIn, TOut>(input, parallelism, selector, stage));
    }

    public static Func<StageNode<TIn>, StageNode<TOut>> SelectAsyncUnordered<TIn, TOut>(int parallelism, Func<TIn, Task<TOut>> selector)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        ArgumentNullException.ThrowIfNull(selector);
        return up => StageNode<TOut>.Linear(up, "SelectAsyncUnordered", (_, input, stage) => new SelectAsyncUnorderedStage<TIn, TOut>(input, parallelism, selector, stage));
    }

    public static Func<StageNode<T>, StageNode<T>> Async<T>(int? bufferSize)
    {
        if (bufferSize is < 1) throw new ArgumentOutOfRangeException(nameof(bufferSize), bufferSize, "An async boundary needs a buffer of at least 1.");
        return up => StageNode<T>.Linear(up, "Async", (ctx, input, stage) =>
            new AsyncBoundary<T>(ctx, input, stage, bufferSize ?? ctx.Materializer.Options.DefaultBufferSize), buffers: true);
    }

    public static Func<StageNode<T>, StageNode<T>> Buffer<T>(int size, OverflowStrategy strategy)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        return up => StageNode<T>.Linear(up, "Buffer", (ctx, input, stage) => strategy switch
        {
            OverflowStrategy.Backpressure => new AsyncBoundary<T>(ctx, input, stage, size),
            OverflowStrategy.Fail => new AsyncBoundary<T>(ctx, input, stage, size, failOnOverflow: true),
            OverflowStrategy.DropOldest => new DroppingBuffer<T>(ctx, input, stage, size, dropOldest: true),
            OverflowStrategy.DropNewest => new DroppingBuffer<T>(ctx, input, stage, size, dropOldest: false),
            _ => throw new ArgumentOutOfRangeException(nameof(strategy), strategy, "Unknown overflow strategy."),
        }, filters: strategy is OverflowStrategy.DropOldest or OverflowStrategy.DropNewest, buffers: true);
    }

    public static Func<StageNode<T>, StageNode<IReadOnlyList<T>>> GroupedWithin<T>(int maxCount, TimeSpan maxDuration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        if (maxDuration <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(maxDuration), maxDuration, "GroupedWithin needs a positive duration.");
        return up => StageNode<IReadOnlyList<T>>.Linear(up, "GroupedWithin", (ctx, input, stage) =>
            new GroupedWithinStage<T>(input, maxCount, maxDuration, ctx.TimeProvider, stage));
    }

    public static Func<StageNode<T>, StageNode<TOut>> GroupBy<T, TKey, TOut>(Func<T, TKey> keySelector,
        Func<TKey, Flow<T, TOut>> substream, int maxKeys, TimeSpan? idleTimeout) where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(keySelector);
        ArgumentNullException.ThrowIfNull(substream);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxKeys, 1);
        if (idleTimeout is { } idle && idle <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(idleTimeout), idleTimeout, "Idle timeout must be positive.");
        return up => StageNode<TOut>.Linear(up, "GroupBy", (ctx, input, stage) =>
            new GroupByStage<T, TKey, TOut>(ctx, input, keySelector, substream, maxKeys, idleTimeout, stage), buffers: true);
    }

    public static Func<StageNode<T>, StageNode<TAccumulate>> Scan<T, TAccumulate>(TAccumulate seed, Func<TAccumulate, T, TAccumulate> fold)
    {
        ArgumentNullException.ThrowIfNull(fold);
        return up => StageNode<TAccumulate>.Linear(up, "Scan", (_, input, stage) => new ScanStage<T, TAccumulate>(input, seed, fold, stage));
    }

    public static Func<StageNode<T>, StageNode<T>> Recover<T>(Func<Exception, T> handler, Func<Exception, bool>? when)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var accept = when ?? (static _ => true);
        return up => StageNode<T>.Linear(up, "Recover", (_, input, stage) => new RecoverStage<T>(input, handler, accept, stage));
    }

    public static Func<StageNode<T>, StageNode<IReadOnlyList<T>>> Sliding<T>(int size, int step)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(step, 1);
        return up => StageNode<IReadOnlyList<T>>.Linear(up, size == step ? "Grouped" : "Sliding", (_, input, stage) => new SlidingStage<T>(input, size, step, stage));
    }

    public static Func<StageNode<T>, StageNode<T>> Throttle<T>(int elements, TimeSpan per, int maximumBurst)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(elements, 1);
        if (per <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(per), per, "Throttle needs a positive period.");
        ArgumentOutOfRangeException.ThrowIfLessThan(maximumBurst, 1);
        return up => StageNode<T>.Linear(up, "Throttle", (ctx, input, stage) => new ThrottleStage<T>(input, elements, per, maximumBurst, ctx.TimeProvider, stage));
    }

    public static Func<StageNode<T>, StageNode<EventTimeWindow<T>>> WindowByEventTime<T>(Func<T, DateTimeOffset> eventTime, TimeSpan size, TimeSpan? slide, TimeSpan allowedLateness)
    {
        ArgumentNullException.ThrowIfNull(eventTime);
        if (size <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(size), size, "Window size must be positive.");
        var step = slide ?? size;
        if (step <= TimeSpan.Zero || step > size) throw new ArgumentOutOfRangeException(nameof(slide), slide, "Slide must be positive and at most the window size.");
        if (allowedLateness < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(allowedLateness), allowedLateness, "Allowed lateness cannot be negative.");
        return up => StageNode<EventTimeWindow<T>>.Linear(up, "WindowByEventTime", (_, input, stage) =>
            new EventTimeWindowStage<T>(input, eventTime, size, step, allowedLateness, stage), filters: true);
    }
}
