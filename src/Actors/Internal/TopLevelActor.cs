namespace Vigil.Actors.Internal;

/// <summary>Adapts a top-level actor cell to the system's shutdown list.</summary>
internal sealed class TopLevelActor(ActorCellBase cell) : ITopLevel
{
    public ActorCellBase Cell { get; } = cell;

    public string Name => Cell.Path.Name;

    public Task StopAsync()
    {
        Cell.RequestStop(null);
        return Cell.Terminated;
    }
}
