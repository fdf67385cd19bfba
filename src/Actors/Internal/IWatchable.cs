namespace Vigil.Actors.Internal;

/// <summary>An actor reference that supports death watch (a local actor; not a probe or an Ask slot).</summary>
internal interface IWatchable
{
    void AddWatcher(IDeathWatcher watcher);

    void RemoveWatcher(IDeathWatcher watcher);
}
