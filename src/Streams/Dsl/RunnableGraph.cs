using Vigil.Streams.Materialization;

namespace Vigil.Streams;

/// <summary>A source connected to a sink: ready to materialize, reusable.</summary>
public sealed class RunnableGraph<TMat> : IRunnableGraph
{
    object? IRunnableGraph.BuildUntyped(MaterializationContext context) => Build(context);

    internal RunnableGraph(Func<MaterializationContext, TMat> build) => Build = build;

    internal Func<MaterializationContext, TMat> Build { get; }

    /// <summary>Materializes and starts the graph.</summary>
    public GraphHandle<TMat> Run(Materializer materializer, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(materializer);
        return materializer.Materialize(this, name);
    }
}
