using Vigil.Streams.Dsl;

namespace Vigil.Streams;

/// <summary>
/// A reusable blueprint of stages with one input of <typeparamref name="TIn"/> and one output of
/// <typeparamref name="TOut"/>. Build one with <see cref="Flow.Create{T}"/> and the operators in
/// <see cref="FlowOperators"/>; attach it with <see cref="Source{T}.Via{TOut}"/>.
/// </summary>
public sealed class Flow<TIn, TOut>
{
    internal Flow(Func<StageNode<TIn>, StageNode<TOut>> apply) => Apply = apply;

    internal Func<StageNode<TIn>, StageNode<TOut>> Apply { get; }

    internal Flow<TIn, TNext> Append<TNext>(Func<StageNode<TOut>, StageNode<TNext>> stage)
    {
        var apply = Apply;
        return new(up => stage(apply(up)));
    }

    /// <summary>Attaches another flow after this one.</summary>
    public Flow<TIn, TNext> Via<TNext>(Flow<TOut, TNext> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return Append(next.Apply);
    }

    /// <summary>Attaches a sink after this flow, giving a sink that accepts <typeparamref name="TIn"/>.</summary>
    public Sink<TIn, TMat> To<TMat>(Sink<TOut, TMat> sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var apply = Apply;
        return new((ctx, up) => sink.Build(ctx, apply(up)));
    }

    /// <summary>Names the last stage.</summary>
    public Flow<TIn, TOut> Named(string name)
    {
        var apply = Apply;
        return new(up => { var n = apply(up); return n.With(n.Attributes with { Name = name }); });
    }

    /// <summary>Sets the supervision decider of the last stage.</summary>
    public Flow<TIn, TOut> WithSupervision(Decider decider)
    {
        var apply = Apply;
        return new(up => { var n = apply(up); return n.With(n.Attributes with { Decider = decider }); });
    }
}

/// <summary>Factory for flows.</summary>
public static class Flow
{
    /// <summary>The identity flow; add operators to it.</summary>
    public static Flow<T, T> Create<T>() => new(up => up);
}
