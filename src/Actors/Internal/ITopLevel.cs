namespace Vigil.Actors.Internal;

/// <summary>Something the system stops, in reverse creation order, when it shuts down.</summary>
internal interface ITopLevel
{
    string Name { get; }

    /// <summary>Stops gracefully and completes when fully terminated.</summary>
    Task StopAsync();
}
