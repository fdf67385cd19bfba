using Vigil.Streams.Dsl;
using Vigil.Streams.Stages;

namespace Vigil.Streams;

/// <summary>Factories for sinks.</summary>
public static class Sink
{
    /// <summary>Calls <paramref name="action"/> for each element; the task completes (or faults) with the stream.</summary>
    public static Sink<T, Task> ForEach<T>(Action<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return new((ctx, up) =>
        {
            var input = up.Build(ctx);
            return new ForEachSink<T>(ctx, input, ctx.CreateStage(StageAttributes.None, "ForEach"), action).Completion;
        });
    }

    /// <summary>Consumes and discards every element; the task completes with the stream.</summary>
    public static Sink<T, Task> Ignore<T>() => new((ctx, up) =>
    {
        var input = up.Build(ctx);
        return new AggregateSink<T, bool>(ctx, input, ctx.CreateStage(StageAttributes.None, "Ignore"), false, static (a, _) => a).Result;
    });

    /// <summary>Collects every element; the task yields the list when the stream completes.</summary>
    public static Sink<T, Task<List<T>>> ToList<T>() => new((ctx, up) =>
    {
        var input = up.Build(ctx);
        var list = new List<T>();
        return new AggregateSink<T, List<T>>(ctx, input, ctx.CreateStage(StageAttributes.None, "ToList"), list, static (l, e) => { l.Add(e); return l; }).Result;
    });

    /// <summary>Folds the elements; the task yields the final accumulator.</summary>
    public static Sink<T, Task<TAccumulate>> Aggregate<T, TAccumulate>(TAccumulate seed, Func<TAccumulate, T, TAccumulate> fold)
    {
        ArgumentNullException.ThrowIfNull(fold);
        return new((ctx, up) =>
        {
            var input = up.Build(ctx);
            return new AggregateSink<T, TAccumulate>(ctx, input, ctx.CreateStage(StageAttributes.None, "Aggregate"), seed, fold).Result;
        });
    }

    /// <summary>The first element (then cancels upstream); faults with <see cref="InvalidOperationException"/> on an empty stream.</summary>
    public static Sink<T, Task<T>> First<T>() => new((ctx, up) =>
    {
        var input = new Stages.TakeStage<T>(up.Build(ctx), 1, ctx.CreateStage(StageAttributes.None, "Take"));
        var list = new List<T>(1);
        return new AggregateSink<T, List<T>>(ctx, input, ctx.CreateStage(StageAttributes.None, "First"), list, static (l, e) => { l.Add(e); return l; })
            .Result.ContinueWith(t => t.Result.Count > 0 ? t.Result[0] : throw new InvalidOperationException("The stream completed without elements."),
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    });
}
