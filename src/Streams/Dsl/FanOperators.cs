using Vigil.Streams.Dsl;
using Vigil.Streams.Fusion;
using Vigil.Streams.Materialization;
using Vigil.Streams.Stages;

namespace Vigil.Streams;

/// <summary>
/// Fan-out (Broadcast, Partition, Balance) and fan-in (Merge, Zip) operators. A fan-out returns
/// one source per output; all of them must be consumed in the same materialization (connect them
/// to sinks and pass the graphs together to <see cref="Materializer.Materialize(string?, IRunnableGraph[])"/>,
/// or join them again with Merge/Zip).
/// </summary>
public static class FanOperators
{
    /// <summary>Sends every element to all <paramref name="outputs"/> outputs; the slowest output sets the pace.</summary>
    /// <param name="source">The upstream.</param>
    /// <param name="outputs">Number of outputs (at least 1).</param>
    public static IReadOnlyList<Source<T>> Broadcast<T>(this Source<T> source, int outputs) =>
        FanOut(source, outputs, "Broadcast", (ctx, up, stage) => new BroadcastHub<T>(ctx, up, outputs, stage));

    /// <summary>Sends each element to the one output <paramref name="selector"/> picks (0-based).</summary>
    /// <param name="source">The upstream.</param>
    /// <param name="outputs">Number of outputs.</param>
    /// <param name="selector">The output for an element; out of range is an error handled by supervision.</param>
    public static IReadOnlyList<Source<T>> Partition<T>(this Source<T> source, int outputs, Func<T, int> selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        return FanOut(source, outputs, "Partition", (ctx, up, stage) => new PartitionHub<T>(ctx, up, outputs, selector, stage));
    }

    /// <summary>Sends each element to an output with free space (to spread work over parallel workers).</summary>
    /// <param name="source">The upstream.</param>
    /// <param name="outputs">Number of outputs.</param>
    public static IReadOnlyList<Source<T>> Balance<T>(this Source<T> source, int outputs) =>
        FanOut(source, outputs, "Balance", (ctx, up, stage) => new BalanceHub<T>(ctx, up, outputs, stage));

    /// <summary>Merges this source with others, pulling them round robin.</summary>
    /// <param name="source">The first input.</param>
    /// <param name="others">The other inputs.</param>
    public static Source<T> Merge<T>(this Source<T> source, params Source<T>[] others) => Merge(source, false, others);

    /// <summary>Merges this source with others; with <paramref name="eagerComplete"/> the merge completes as soon as any input completes (needed to end a cycle).</summary>
    /// <param name="source">The first input.</param>
    /// <param name="eagerComplete">Complete when any input completes instead of when all did.</param>
    /// <param name="others">The other inputs.</param>
    public static Source<T> Merge<T>(this Source<T> source, bool eagerComplete, params Source<T>[] others)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(others);
        var nodes = others.Select(o => o.Node).Prepend(source.Node).ToArray();
        return new(new StageNode<T>("Merge", (ctx, stage) =>
        {
            var inputs = nodes.Select(n => n.Build(ctx)).ToArray();
            var runtime = stage();
            return new MergeStage<T>(inputs, eagerComplete, runtime)
            {
                Provenance = Provenance.Union(runtime.Name, inputs.Select(i => i.Provenance)),
            };
        }));
    }

    /// <summary>Pairs elements of two sources one to one into tuples.</summary>
    /// <param name="source">The left input.</param>
    /// <param name="other">The right input.</param>
    public static Source<(T1, T2)> Zip<T1, T2>(this Source<T1> source, Source<T2> other) => source.ZipWith(other, static (a, b) => (a, b));

    /// <summary>
    /// Pairs elements of two sources one to one with <paramref name="combine"/>. Refused at
    /// materialization when both inputs branch from the same fan-out and a branch can drop
    /// elements (Where, Take, a dropping Buffer, Partition/Balance outputs): the pairs would
    /// misalign and the graph could deadlock.
    /// </summary>
    /// <param name="source">The left input.</param>
    /// <param name="other">The right input.</param>
    /// <param name="combine">Builds the output from a pair.</param>
    public static Source<TOut> ZipWith<T1, T2, TOut>(this Source<T1> source, Source<T2> other, Func<T1, T2, TOut> combine)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(other);
        ArgumentNullException.ThrowIfNull(combine);
        var (leftNode, rightNode) = (source.Node, other.Node);
        return new(new StageNode<TOut>("Zip", (ctx, stage) =>
        {
            var left = leftNode.Build(ctx);
            var right = rightNode.Build(ctx);
            var runtime = stage();
            RefuseMisalignedZip(runtime.Name, left.Provenance, right.Provenance);
            return new ZipStage<T1, T2, TOut>(left, right, combine, runtime)
            {
                Provenance = Provenance.Union(runtime.Name, [left.Provenance, right.Provenance]),
            };
        }));
    }

    private static void RefuseMisalignedZip(string zip, Provenance left, Provenance right)
    {
        foreach (var l in left.Lines)
            foreach (var r in right.Lines.Where(r => ReferenceEquals(r.Origin, l.Origin)))
            {
                var filter = l.FilteringStage ?? r.FilteringStage;
                if (filter is null) continue;
                var stages = l.Path.Add(zip).AddRange(r.Path.Reverse()).Distinct().ToList();
                throw new GraphValidationException(
                    $"Zip '{zip}' is fed by two branches of '{l.OriginName}' and stage '{filter}' can drop elements on one of them, " +
                    $"so the pairs would misalign and the graph can deadlock: {string.Join(" -> ", l.Path)} -> {zip} <- {string.Join(" <- ", r.Path.Reverse())}.",
                    stages);
            }
    }

    private static IReadOnlyList<Source<T>> FanOut<T>(Source<T> source, int outputs, string kind,
        Func<MaterializationContext, Outlet<T>, StageRuntime, FanOutHub<T>> create)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputs, 1);
        var key = new object();
        var upstream = source.Node;
        return Enumerable.Range(0, outputs).Select(i => new Source<T>(new StageNode<T>(kind, (ctx, stage) =>
            ctx.GetOrAddShared(key, () => create(ctx, upstream.Build(ctx), stage())).Connect(i)))).ToArray();
    }
}
