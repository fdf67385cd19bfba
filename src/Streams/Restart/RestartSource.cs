using Vigil.Streams.Dsl;
using Vigil.Streams.Stages;

namespace Vigil.Streams;

/// <summary>Sources that rebuild themselves with exponential backoff (e.g. a device connection).</summary>
public static class RestartSource
{
    /// <summary>Restarts the source from <paramref name="factory"/> when it fails.</summary>
    /// <param name="settings">Backoff and restart limit.</param>
    /// <param name="factory">Builds a fresh source for each (re)start.</param>
    public static Source<T> OnFailuresWithBackoff<T>(RestartSettings settings, Func<Source<T>> factory) => Create(settings, factory, false);

    /// <summary>Restarts the source from <paramref name="factory"/> when it fails or completes (until cancelled).</summary>
    /// <param name="settings">Backoff and restart limit.</param>
    /// <param name="factory">Builds a fresh source for each (re)start.</param>
    public static Source<T> WithBackoff<T>(RestartSettings settings, Func<Source<T>> factory) => Create(settings, factory, true);

    private static Source<T> Create<T>(RestartSettings settings, Func<Source<T>> factory, bool restartOnComplete)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(factory);
        return new(StageNode<T>.Leaf("RestartSource", (ctx, stage) =>
            new RestartStage<T>(ctx, () => factory().Node, settings, restartOnComplete, stage)));
    }
}

/// <summary>Flows that rebuild themselves with exponential backoff when they fail.</summary>
public static class RestartFlow
{
    /// <summary>
    /// Runs the flow from <paramref name="factory"/>; when it fails, a fresh one is built after
    /// the backoff and continues with the next upstream element (the element being processed
    /// when it failed is lost with it; use supervision Resume to keep per-element failures out
    /// of this path). Upstream is not cancelled by an inner failure.
    /// </summary>
    /// <param name="settings">Backoff and restart limit.</param>
    /// <param name="factory">Builds a fresh flow for each (re)start.</param>
    public static Flow<TIn, TOut> OnFailuresWithBackoff<TIn, TOut>(RestartSettings settings, Func<Flow<TIn, TOut>> factory)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(factory);
        return new(up => new StageNode<TOut>("RestartFlow", (ctx, stage) =>
        {
            var upstream = new Fusion.SharedUpstream<TIn>(up.Build(ctx));
            var input = StageNode<TIn>.Leaf("RestartFlowInput", (_, _) => upstream);
            return new RestartStage<TOut>(ctx, () => factory().Apply(input), settings, restartOnComplete: false, stage(), upstream.CancelUpstream);
        }));
    }
}
