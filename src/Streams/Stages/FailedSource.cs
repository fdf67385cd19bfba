using Vigil.Streams.Fusion;

namespace Vigil.Streams.Stages;

/// <summary>Fails on the first pull. Emits: never. Fails: at once with the given error.</summary>
internal sealed class FailedSource<T>(Exception error) : Outlet<T>
{
    public override bool TryPull(out T item) => throw error;

    public override ValueTask<bool> WaitAsync(CancellationToken cancellationToken) => ValueTask.FromException<bool>(error);

    public override void Cancel() { }
}
