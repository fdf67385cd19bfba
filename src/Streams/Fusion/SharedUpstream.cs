namespace Vigil.Streams.Fusion;

/// <summary>
/// An upstream handed to successive inner flows of a RestartFlow: an inner flow that dies
/// cancels only its view; the real upstream is cancelled by <see cref="CancelUpstream"/>.
/// </summary>
internal sealed class SharedUpstream<T>(Outlet<T> upstream) : Outlet<T>
{
    public override bool TryPull(out T item) => upstream.TryPull(out item);

    public override ValueTask<bool> WaitAsync(CancellationToken cancellationToken) => upstream.WaitAsync(cancellationToken);

    public override void Cancel() { }

    public void CancelUpstream() => upstream.Cancel();
}
