using Vigil.Models.Cards;
using Vigil.Models.Runtimes;

namespace Vigil.Models.Catalog;

/// <summary>
/// The right to use one loaded model version for one request (or batch). While it is held the
/// session stays open even if the catalog swaps in a new version. Dispose it when done.
/// </summary>
public sealed class ModelLease : IDisposable
{
    // 1 once disposed, so a double dispose releases only once.
    private int _disposed;

    internal ModelLease(LoadedModel model) => Model = model;

    /// <summary>The leased model version.</summary>
    public LoadedModel Model { get; }

    /// <summary>Its card.</summary>
    public ModelCard Card => Model.Card;

    /// <summary>Its session.</summary>
    public IInferenceSession Session =>
        Volatile.Read(ref _disposed) == 0 ? Model.Session : throw new ObjectDisposedException(nameof(ModelLease), $"The lease on {Model.Card} was released.");

    /// <summary>Identity to attach to results.</summary>
    public ModelProvenance Provenance => Model.Provenance;

    /// <summary>Releases the lease.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) Model.Release();
    }
}
