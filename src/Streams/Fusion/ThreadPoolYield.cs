using System.Runtime.CompilerServices;

namespace Vigil.Streams.Fusion;

/// <summary>
/// An awaitable that always continues on the thread pool, ignoring any synchronization context
/// (unlike <c>Task.Yield</c>), so a loop woken inline by a producer or a clock moves off that thread.
/// </summary>
internal readonly struct ThreadPoolYield : ICriticalNotifyCompletion
{
    public ThreadPoolYield GetAwaiter() => this;

    public bool IsCompleted => false;

    public void GetResult() { }

    public void OnCompleted(Action continuation) => ThreadPool.QueueUserWorkItem(static c => c(), continuation, preferLocal: false);

    public void UnsafeOnCompleted(Action continuation) => ThreadPool.UnsafeQueueUserWorkItem(static c => c(), continuation, preferLocal: false);
}
