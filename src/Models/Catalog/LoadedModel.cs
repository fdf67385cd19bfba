using Vigil.Models.Cards;
using Vigil.Models.Runtimes;

namespace Vigil.Models.Catalog;

/// <summary>
/// A verified model: its card and open session, reference-counted so that a swapped-out version
/// stays alive until the last request using it ends. The catalog holds one reference while the
/// model is current; each <see cref="ModelLease"/> holds one more.
/// </summary>
public sealed class LoadedModel
{
    // Number of holders (catalog + leases); the session is disposed when it reaches 0.
    private int _references = 1;

    internal LoadedModel(ModelCard card, IInferenceSession session)
    {
        Card = card;
        Session = session;
    }

    /// <summary>The card the file was verified against.</summary>
    public ModelCard Card { get; }

    /// <summary>The open session on the card's runtime (valid while a lease is held).</summary>
    public IInferenceSession Session { get; }

    /// <summary>Identity carried by results.</summary>
    public ModelProvenance Provenance => Card.Provenance;

    /// <summary>True once the last holder released it and the session was disposed.</summary>
    public bool IsDisposed => Volatile.Read(ref _references) == 0;

    /// <summary>Adds a holder unless the model is already disposed.</summary>
    internal bool TryAddReference()
    {
        while (true)
        {
            var n = Volatile.Read(ref _references);
            if (n == 0) return false;
            if (Interlocked.CompareExchange(ref _references, n + 1, n) == n) return true;
        }
    }

    /// <summary>Removes a holder; the last one disposes the session.</summary>
    internal void Release()
    {
        var n = Interlocked.Decrement(ref _references);
        if (n == 0) Session.Dispose();
        else if (n < 0) throw new InvalidOperationException($"Model {Card} was released more often than acquired.");
    }
}
