using Vigil.Streams.Dsl;
using Vigil.Streams.Materialization;

namespace Vigil.Streams;

/// <summary>
/// A reusable blueprint of a stage consuming <typeparamref name="TIn"/>. Materializing it yields
/// a <typeparamref name="TMat"/>, e.g. a <see cref="Task"/> that completes with the stream or a
/// <c>Task&lt;List&lt;T&gt;&gt;</c> of everything received. Factories are in <see cref="Sink"/>.
/// </summary>
public sealed class Sink<TIn, TMat>
{
    internal Sink(Func<MaterializationContext, StageNode<TIn>, TMat> build) => Build = build;

    internal Func<MaterializationContext, StageNode<TIn>, TMat> Build { get; }

    /// <summary>Transforms the materialized value.</summary>
    public Sink<TIn, TMat2> MapMaterialized<TMat2>(Func<TMat, TMat2> map)
    {
        var build = Build;
        return new((ctx, up) => map(build(ctx, up)));
    }
}
