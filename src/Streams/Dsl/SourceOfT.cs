using Vigil.Streams.Dsl;

namespace Vigil.Streams;

/// <summary>
/// A reusable blueprint of a stream stage with one output of <typeparamref name="T"/>. Nothing
/// runs until it is connected to a <see cref="Sink{TIn, TMat}"/> and materialized; each
/// materialization runs a fresh copy. Operators (Select, Where, ...) are extension methods in
/// <see cref="SourceOperators"/>.
/// </summary>
public sealed class Source<T>
{
    internal Source(StageNode<T> node) => Node = node;

    internal StageNode<T> Node { get; }

    internal Source<TOut> Append<TOut>(Func<StageNode<T>, StageNode<TOut>> stage) => new(stage(Node));

    /// <summary>Attaches a flow after this source.</summary>
    public Source<TOut> Via<TOut>(Flow<T, TOut> flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        return new(flow.Apply(Node));
    }

    /// <summary>Connects this source to a sink, giving a graph ready to materialize.</summary>
    public RunnableGraph<TMat> To<TMat>(Sink<T, TMat> sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var node = Node;
        return new(ctx => sink.Build(ctx, node));
    }

    /// <summary>Materializes this source into <paramref name="sink"/> and returns the sink's materialized value.</summary>
    public TMat RunWith<TMat>(Sink<T, TMat> sink, Materializer materializer)
    {
        ArgumentNullException.ThrowIfNull(materializer);
        return materializer.Materialize(To(sink)).Value;
    }

    /// <summary>Names the last stage (used in metrics, errors and dead letters).</summary>
    public Source<T> Named(string name) => new(Node.With(Node.Attributes with { Name = name }));

    /// <summary>Sets the supervision decider of the last stage.</summary>
    public Source<T> WithSupervision(Decider decider) => new(Node.With(Node.Attributes with { Decider = decider }));
}
