using System.Collections.Concurrent;
using Vigil.Models.Cards;
using Vigil.Models.OpenCvDnn;

namespace Vigil.Models.Runtimes;

/// <summary>
/// The runtimes a catalog can open cards with, by card <c>runtime</c> name. <see cref="Default"/>
/// holds ONNX Runtime and OpenCV DNN; the TorchSharp runtime is added by the training room
/// (src/Models/Training) with <see cref="Register"/>, so this room does not depend on libtorch.
/// </summary>
public sealed class ModelRuntimeRegistry
{
    private readonly ConcurrentDictionary<string, IModelRuntime> _runtimes = new(StringComparer.Ordinal);

    /// <summary>A registry with the given runtimes.</summary>
    public ModelRuntimeRegistry(params IModelRuntime[] runtimes)
    {
        foreach (var r in runtimes) Register(r);
    }

    /// <summary>The process-wide registry the catalog uses unless its options name another.</summary>
    public static ModelRuntimeRegistry Default { get; } = new(new OnnxModelRuntime(), new OpenCvDnnRuntime());

    /// <summary>Adds or replaces the runtime for <see cref="IModelRuntime.Name"/>.</summary>
    /// <exception cref="ArgumentException">The name is not one a card may give.</exception>
    public void Register(IModelRuntime runtime)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        if (!ModelRuntimeNames.All.Contains(runtime.Name))
            throw new ArgumentException($"Runtime name '{runtime.Name}' is not one of {string.Join(", ", ModelRuntimeNames.All)}.", nameof(runtime));
        _runtimes[runtime.Name] = runtime;
    }

    /// <summary>True when a runtime for <paramref name="name"/> is registered.</summary>
    public bool Contains(string name) => _runtimes.ContainsKey(name);

    /// <summary>The runtime for <paramref name="card"/>'s <c>runtime</c> field.</summary>
    /// <exception cref="ModelCardException">No runtime of that name is registered in this process.</exception>
    public IModelRuntime For(ModelCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        if (_runtimes.TryGetValue(card.Runtime, out var runtime)) return runtime;
        var hint = card.Runtime == ModelRuntimeNames.TorchSharp
            ? " (the TorchSharp runtime is registered by the training room, Vigil.Models.Training, when the host uses it)"
            : "";
        throw new ModelCardException(card.CardPath, "runtime",
            $"no '{card.Runtime}' runtime is available in this process{hint}; available: {string.Join(", ", _runtimes.Keys.Order(StringComparer.Ordinal))}.");
    }
}
