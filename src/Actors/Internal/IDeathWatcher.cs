namespace Vigil.Actors.Internal;

/// <summary>Something notified when a watched actor terminates (an actor, a test probe, an entity region).</summary>
internal interface IDeathWatcher
{
    /// <summary>Called once, on the terminating actor's loop, after it stopped; must not block.</summary>
    void OnWatchedTerminated(IActorRef actor);
}
