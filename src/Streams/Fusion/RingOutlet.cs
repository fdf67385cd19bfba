namespace Vigil.Streams.Fusion;

/// <summary>The consumer side of an <see cref="SpscRing{T}"/> as an outlet (substream inputs).</summary>
internal sealed class RingOutlet<T>(SpscRing<T> ring) : Outlet<T>
{
    public override bool TryPull(out T item) => ring.TryRead(out item);

    public override ValueTask<bool> WaitAsync(CancellationToken cancellationToken) => ring.WaitToReadAsync(cancellationToken);

    public override void Cancel() => ring.CancelReader();
}
