using Vigil.Streams.Dsl;
using Vigil.Streams.Stages;

namespace Vigil.Streams;

/// <summary>
/// A cycle in a graph: what reaches <see cref="Sink"/> comes out again at <see cref="Source"/>
/// (e.g. retrying elements). Both ends must be materialized together
/// (<see cref="Materializer.Materialize(string?, IRunnableGraph[])"/>), and the path from
/// <see cref="Source"/> back to <see cref="Sink"/> must contain an explicit Buffer or Async
/// boundary: a cycle without one can deadlock and is refused at materialization with an error
/// naming the stages on the cycle. Merge the loop's source with <c>eagerComplete</c> or use a
/// KillSwitch to end a graph containing a cycle.
/// </summary>
public sealed class FeedbackLoop<T>
{
    private readonly object _key = new();

    /// <summary>Creates an unconnected loop.</summary>
    public FeedbackLoop()
    {
        Source = new Source<T>(StageNode<T>.Leaf("Feedback", (ctx, stage) => Channel(ctx, stage).ConnectSource()));
        Sink = new Sink<T, Task>((ctx, up) =>
        {
            var upstream = up.Build(ctx);
            return ctx.GetOrAddShared(_key, () => new FeedbackChannel<T>(ctx, ctx.CreateStage(StageAttributes.None, "Feedback")))
                .ConnectSink(ctx, upstream);
        });
    }

    /// <summary>Where fed-back elements come out.</summary>
    public Source<T> Source { get; }

    /// <summary>Where elements are fed back; its task completes when the loop's input completes.</summary>
    public Sink<T, Task> Sink { get; }

    private FeedbackChannel<T> Channel(Materialization.MaterializationContext ctx, Materialization.StageRuntime stage) =>
        ctx.GetOrAddShared(_key, () => new FeedbackChannel<T>(ctx, stage));
}
