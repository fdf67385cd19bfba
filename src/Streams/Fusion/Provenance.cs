using System.Collections.Immutable;

namespace Vigil.Streams.Fusion;

/// <summary>
/// Which fan-out hubs and feedback loops an outlet descends from, the stages on the way, and
/// whether one of them can drop elements or buffers them. Built once at materialization and
/// used only to refuse graphs that can deadlock or misalign (never on the element path).
/// </summary>
internal sealed class Provenance
{
    public static readonly Provenance Empty = new(ImmutableArray<Lineage>.Empty);

    public Provenance(ImmutableArray<Lineage> lines) => Lines = lines;

    public ImmutableArray<Lineage> Lines { get; }

    /// <summary>A new line starting at a hub output or a feedback source.</summary>
    public static Provenance Origin(object origin, string originName) =>
        new(ImmutableArray.Create(new Lineage(origin, originName, ImmutableList.Create(originName), null, false)));

    /// <summary>The provenance after passing through a stage.</summary>
    public Provenance Through(string stage, bool filters = false, bool buffers = false)
    {
        if (Lines.IsEmpty) return this;
        return new(Lines.Select(l => l with
        {
            Path = l.Path.Add(stage),
            FilteringStage = l.FilteringStage ?? (filters ? stage : null),
            Buffered = l.Buffered || buffers,
        }).ToImmutableArray());
    }

    /// <summary>The provenance of a stage that merges several inputs.</summary>
    public static Provenance Union(string stage, IEnumerable<Provenance> inputs) =>
        new(inputs.SelectMany(p => p.Through(stage).Lines).ToImmutableArray());
}

/// <summary>One line of descent from a hub or feedback origin to the current stage.</summary>
internal sealed record Lineage(object Origin, string OriginName, ImmutableList<string> Path, string? FilteringStage, bool Buffered);
