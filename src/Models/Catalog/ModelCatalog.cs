using System.Collections.Concurrent;
using Vigil.Models.Cards;
using Vigil.Models.Onnx;
using Vigil.Models.Runtimes;

namespace Vigil.Models.Catalog;

/// <summary>
/// The models a node serves, by id. Each model is loaded from a card: the file's sha256 and the
/// session's input/output signature must match the card, otherwise the model is refused with a
/// <see cref="ModelCardException"/> naming the card, the field and both values. Loading a card
/// whose id is already present swaps the new version in atomically: requests holding a
/// <see cref="ModelLease"/> on the old version finish on it, and the old session is disposed
/// when the last of them releases its lease.
/// </summary>
public sealed class ModelCatalog : IDisposable
{
    private readonly ModelCatalogOptions _options;
    // The current version of each model id; the catalog holds one reference on each.
    private readonly ConcurrentDictionary<string, LoadedModel> _current = new(StringComparer.Ordinal);
    // Serialises loads and swaps (verification runs outside request paths).
    private readonly object _swapGate = new();
    private readonly List<CatalogLoadFailure> _failures = new();
    private bool _disposed;

    /// <summary>Creates an empty catalog.</summary>
    public ModelCatalog(ModelCatalogOptions? options = null) => _options = options ?? new ModelCatalogOptions();

    /// <summary>
    /// Loads every <c>*.card.json</c> under <paramref name="folder"/>. Cards that fail verification
    /// are left out and listed in <see cref="Failures"/>; the others are served.
    /// </summary>
    public static ModelCatalog OpenFolder(string folder, ModelCatalogOptions? options = null)
    {
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"Model catalog folder '{Path.GetFullPath(folder)}' does not exist.");
        var catalog = new ModelCatalog(options);
        foreach (var cardPath in Directory.EnumerateFiles(folder, ModelCardReader.FilePattern, SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            try
            {
                var card = ModelCardReader.Read(cardPath, catalog._options.PathVariables);
                if (catalog._current.TryGetValue(card.Id, out var existing))
                    throw new ModelCardException(card.CardPath, "id", $"'{card.Id}' is already served from '{existing.Card.CardPath}'.");
                catalog.Load(card);
            }
            catch (Exception e) when (e is ModelCardException or OnnxRuntimeException or IOException)
            {
                lock (catalog._failures) catalog._failures.Add(new CatalogLoadFailure(Path.GetFullPath(cardPath), e));
            }
        }
        return catalog;
    }

    /// <summary>Cards refused while opening a folder.</summary>
    public IReadOnlyList<CatalogLoadFailure> Failures { get { lock (_failures) return _failures.ToArray(); } }

    /// <summary>Cards of the versions currently served, by id.</summary>
    public IReadOnlyList<ModelCard> Models => _current.Values.Select(m => m.Card).OrderBy(c => c.Id, StringComparer.Ordinal).ToArray();

    /// <summary>Reads the card at <paramref name="cardPath"/>, verifies its model and serves it (swapping out any older version).</summary>
    public LoadedModel Load(string cardPath) => Load(ModelCardReader.Read(cardPath, _options.PathVariables));

    /// <summary>Verifies <paramref name="card"/>'s model file and serves it (swapping out any older version).</summary>
    public LoadedModel Load(ModelCard card)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var model = Open(card, _options);
        lock (_swapGate)
        {
            if (_disposed) { model.Release(); throw new ObjectDisposedException(nameof(ModelCatalog)); }
            LoadedModel? old = null;
            _current.AddOrUpdate(card.Id, model, (_, previous) => { old = previous; return model; });
            // In-flight leases keep the old session alive; this drops only the catalog's own reference.
            old?.Release();
        }
        return model;
    }

    /// <summary>
    /// Verifies a card against its file without serving it: checksum, loadability and signature.
    /// Returns the card; throws <see cref="ModelCardException"/> on the first disagreement.
    /// </summary>
    public static ModelCard Check(string cardPath, ModelCatalogOptions? options = null)
    {
        options ??= new ModelCatalogOptions();
        var model = Open(ModelCardReader.Read(cardPath, options.PathVariables), options);
        model.Release();
        return model.Card;
    }

    /// <summary>Leases the current version of <paramref name="modelId"/>; dispose the lease when the request ends.</summary>
    /// <exception cref="KeyNotFoundException">No model with that id is served (the message lists those that are).</exception>
    public ModelLease Acquire(string modelId) =>
        TryAcquire(modelId, out var lease) ? lease
            : throw new KeyNotFoundException($"No model '{modelId}' in the catalog; served: [{string.Join(", ", _current.Keys.Order(StringComparer.Ordinal))}].");

    /// <summary>Leases the current version of <paramref name="modelId"/> when it is served.</summary>
    public bool TryAcquire(string modelId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ModelLease? lease)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        // Retry when a swap released the version we read between the lookup and the AddRef.
        while (_current.TryGetValue(modelId, out var model))
        {
            if (model.TryAddReference()) { lease = new ModelLease(model); return true; }
        }
        lease = null;
        return false;
    }

    /// <summary>Stops serving <paramref name="modelId"/>; running requests finish on their leases.</summary>
    public bool Unload(string modelId)
    {
        lock (_swapGate)
        {
            if (!_current.TryRemove(modelId, out var model)) return false;
            model.Release();
            return true;
        }
    }

    /// <summary>Drops the catalog's references; sessions close as their last leases end.</summary>
    public void Dispose()
    {
        lock (_swapGate)
        {
            if (_disposed) return;
            _disposed = true;
            foreach (var id in _current.Keys.ToArray())
                if (_current.TryRemove(id, out var m)) m.Release();
        }
    }

    // Reads the file once, checks the bytes' sha256, opens the model on the card's runtime from those
    // same bytes (so the file cannot change between check and load), then checks the signature.
    private static LoadedModel Open(ModelCard card, ModelCatalogOptions options)
    {
        if (!File.Exists(card.ModelPath))
            throw new ModelFileMissingException(card.CardPath, card.ModelPath, card.Origin?.Source ?? "not stated");
        var runtime = options.Runtimes.For(card);
        var bytes = File.ReadAllBytes(card.ModelPath);
        ModelVerifier.VerifyChecksum(card, ModelFileHash.Sha256Of(bytes));
        var sessionOptions = options.SessionOptions?.Invoke() ?? new OnnxSessionOptions();
        sessionOptions.ModelId = card.Id;
        var session = runtime.Open(card, bytes, sessionOptions);
        try
        {
            ModelVerifier.VerifySignature(card, session.Inputs, session.Outputs);
        }
        catch
        {
            session.Dispose();
            throw;
        }
        return new LoadedModel(card, session);
    }
}
