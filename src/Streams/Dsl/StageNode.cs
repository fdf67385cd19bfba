using Vigil.Streams.Fusion;
using Vigil.Streams.Materialization;

namespace Vigil.Streams.Dsl;

/// <summary>
/// An immutable blueprint of one stage producing elements of <typeparamref name="T"/>. Building
/// it in a <see cref="MaterializationContext"/> creates a fresh running copy (its upstream built
/// first, recursively), so one blueprint can be materialized many times.
/// </summary>
internal sealed class StageNode<T>
{
    private readonly Func<MaterializationContext, Func<StageRuntime>, Outlet<T>> _build;

    /// <param name="kind">Operator kind, used in stage names (kind#n) and metrics.</param>
    /// <param name="build">Builds upstream, then calls the given factory to create this stage's runtime, then the outlet.</param>
    /// <param name="attributes">Name and supervision.</param>
    public StageNode(string kind, Func<MaterializationContext, Func<StageRuntime>, Outlet<T>> build, StageAttributes? attributes = null)
    {
        Kind = kind;
        _build = build;
        Attributes = attributes ?? StageAttributes.None;
    }

    public string Kind { get; }

    public StageAttributes Attributes { get; }

    public Outlet<T> Build(MaterializationContext context) => _build(context, () => context.CreateStage(Attributes, Kind));

    public StageNode<T> With(StageAttributes attributes) => new(Kind, _build, attributes);

    /// <summary>A source stage with no upstream.</summary>
    public static StageNode<T> Leaf(string kind, Func<MaterializationContext, StageRuntime, Outlet<T>> make) =>
        new(kind, (ctx, stage) => make(ctx, stage()));

    /// <summary>A one-input stage: upstream is built first, so stage numbers run from source to sink.</summary>
    public static StageNode<T> Linear<TIn>(StageNode<TIn> upstream, string kind,
        Func<MaterializationContext, Outlet<TIn>, StageRuntime, Outlet<T>> make, bool filters = false, bool buffers = false) =>
        new(kind, (ctx, stage) =>
        {
            var up = upstream.Build(ctx);
            var runtime = stage();
            var outlet = make(ctx, up, runtime);
            if (ReferenceEquals(outlet.Provenance, Provenance.Empty)) outlet.Provenance = up.Provenance.Through(runtime.Name, filters, buffers);
            return outlet;
        });
}
