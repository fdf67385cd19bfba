namespace Vigil.Streams.Fusion;

/// <summary>
/// The pull side of one stage's output inside a materialized graph. Exactly one consumer pulls
/// from an outlet. Synchronous stages implement <see cref="TryPull"/> as a direct call into their
/// upstream outlet, so a fused chain runs as nested calls with no queue and no allocation.
/// </summary>
/// <remarks>
/// Protocol: the consumer calls <see cref="TryPull"/> until it returns false, then awaits
/// <see cref="WaitAsync"/>. A true result means "pull again" (it may be spurious); false means
/// the stream completed and nothing more will come. A failure surfaces as an exception from
/// either call.
/// </remarks>
internal abstract class Outlet<T>
{
    /// <summary>Where this outlet's elements came from; used to refuse graphs that can deadlock.</summary>
    public Provenance Provenance { get; set; } = Provenance.Empty;

    /// <summary>Takes the next element if one is available without waiting.</summary>
    public abstract bool TryPull(out T item);

    /// <summary>Waits until pulling may succeed (true) or the stream is complete (false).</summary>
    public abstract ValueTask<bool> WaitAsync(CancellationToken cancellationToken);

    /// <summary>Downstream needs no more elements: release resources and cancel upstream.</summary>
    public abstract void Cancel();
}

/// <summary>Base for a one-input synchronous stage: forwards waiting and cancellation upstream.</summary>
internal abstract class LinearOutlet<TIn, TOut>(Outlet<TIn> upstream) : Outlet<TOut>
{
    protected readonly Outlet<TIn> Upstream = upstream;

    public override ValueTask<bool> WaitAsync(CancellationToken cancellationToken) => Upstream.WaitAsync(cancellationToken);

    public override void Cancel() => Upstream.Cancel();
}
