using Vigil.Models.Onnx;
using Vigil.Models.Runtimes;

namespace Vigil.Models.Catalog;

/// <summary>Settings for <see cref="ModelCatalog"/>.</summary>
public sealed class ModelCatalogOptions
{
    /// <summary>Values for <c>${NAME}</c> at the start of a card's <c>file</c> (falls back to the environment).</summary>
    public IReadOnlyDictionary<string, string> PathVariables { get; init; } = new Dictionary<string, string>();

    /// <summary>Session settings (threads, providers); the model id is set per card.</summary>
    public Func<OnnxSessionOptions>? SessionOptions { get; init; }

    /// <summary>The runtimes cards may name; <see cref="ModelRuntimeRegistry.Default"/> unless set.</summary>
    public ModelRuntimeRegistry Runtimes { get; init; } = ModelRuntimeRegistry.Default;
}
