using Ort = Microsoft.ML.OnnxRuntime;

namespace Vigil.Models.Onnx.Binding;

/// <summary>
/// The process-wide ORT environment (ORT allows one per process), created on first use with
/// logging at error level, and the facts read from it once.
/// </summary>
internal static class OrtRuntime
{
    public const string CudaProviderName = "CUDAExecutionProvider";

    private static readonly Lazy<Ort.OrtEnv> Instance = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<IReadOnlyList<string>> Providers = new(() => Env.GetAvailableProviders());

    public static Ort.OrtEnv Env => Instance.Value;

    public static IReadOnlyList<string> AvailableProviders => Providers.Value;

    /// <summary>A run options object shared by runs that cannot be cancelled (ORT only reads it during a run).</summary>
    public static Ort.RunOptions SharedRunOptions { get; } = new();

    private static Ort.OrtEnv Create()
    {
        // Another library in the process may have created it already: share that one.
        if (Ort.OrtEnv.IsCreated) return Ort.OrtEnv.Instance();
        var options = new Ort.EnvironmentCreationOptions
        {
            logId = "vigil",
            logLevel = Ort.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        return Ort.OrtEnv.CreateInstanceWithOptions(ref options);
    }
}
