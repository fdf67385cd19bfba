namespace Vigil.Streams.Dsl;

/// <summary>Per-stage settings given in the DSL: a display name and a supervision decider.</summary>
internal sealed record StageAttributes(string? Name, Decider? Decider)
{
    public static readonly StageAttributes None = new(null, null);
}
