using Ort = Microsoft.ML.OnnxRuntime;

namespace Vigil.Models.Onnx.Binding;

/// <summary>
/// Builds ORT <c>SessionOptions</c> from <see cref="OnnxSessionOptions"/> and creates the
/// session, appending CUDA when asked and falling back to CPU, with a logged reason, when the
/// build or the machine cannot provide it (no CUDA provider in the package, CUDA libraries or
/// GPU missing).
/// </summary>
internal static class SessionFactory
{
    /// <summary>What was created: the session and the providers actually in use, in preference order.</summary>
    public readonly record struct Created(Ort.InferenceSession Session, IReadOnlyList<string> Providers, string? FallbackReason)
    {
        /// <summary>Weights listed as graph inputs that were loaded as constants (<see cref="OnnxInitializerInputs"/>).</summary>
        public int WeightInputsMadeConstant { get; init; }
    }

    /// <summary>Creates a session from a file path or from bytes (exactly one of them).</summary>
    public static Created Create(string modelId, string? path, byte[]? bytes, OnnxSessionOptions options, Action<string> log)
    {
        _ = OrtRuntime.Env;
        foreach (var name in options.ExecutionProviders)
            if (!string.Equals(name, OnnxSessionOptions.Cpu, StringComparison.OrdinalIgnoreCase) &&
                !string.Equals(name, OnnxSessionOptions.Cuda, StringComparison.OrdinalIgnoreCase))
                throw new ArgumentException(
                    $"Unknown execution provider '{name}' for model '{modelId}'. Vigil knows \"{OnnxSessionOptions.Cpu}\" and \"{OnnxSessionOptions.Cuda}\".",
                    nameof(options));
        if (options.IntraOpThreads < 0 || options.InterOpThreads < 0)
            throw new ArgumentException($"Thread counts must be >= 0 (model '{modelId}').", nameof(options));

        var context = LoadingContext(path, bytes);
        var madeConstant = 0;
        if (!options.KeepInitializerInputs)
            (path, bytes, madeConstant) = WithConstantWeights(path, bytes);
        return CreateWithProviders(modelId, path, bytes, context, options, log) with { WeightInputsMadeConstant = madeConstant };
    }

    private static Created CreateWithProviders(string modelId, string? path, byte[]? bytes, string context, OnnxSessionOptions options, Action<string> log)
    {
        var wantsCuda = options.ExecutionProviders.Any(n => string.Equals(n, OnnxSessionOptions.Cuda, StringComparison.OrdinalIgnoreCase));
        string? fallback = null;
        if (wantsCuda && !OrtRuntime.AvailableProviders.Contains(OrtRuntime.CudaProviderName))
        {
            fallback = $"CUDA requested for model '{modelId}', but this ONNX Runtime build ({OnnxRuntimeInfo.Package}) has no CUDA provider " +
                       $"(available: {string.Join(", ", OrtRuntime.AvailableProviders)}); running on CPU.";
            log(fallback);
            wantsCuda = false;
        }

        if (wantsCuda)
        {
            string cudaError;
            using (var cudaOptions = BuildOptions(modelId, options))
            {
                try
                {
                    cudaOptions.AppendExecutionProvider_CUDA(options.CudaDeviceId);
                    try
                    {
                        return new Created(CreateSession(path, bytes, cudaOptions), [OnnxSessionOptions.Cuda, OnnxSessionOptions.Cpu], null);
                    }
                    catch (Ort.OnnxRuntimeException e)
                    {
                        var error = OrtErrors.Translate(e, modelId, context);
                        // A model error is the same on every provider: report it rather than retrying.
                        if (error.ErrorCode is OnnxErrorCode.InvalidProtobuf or OnnxErrorCode.NoSuchFile or OnnxErrorCode.InvalidGraph)
                            throw error;
                        cudaError = error.RuntimeMessage;
                    }
                }
                catch (Exception e) when (e is Ort.OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
                {
                    cudaError = e is Ort.OnnxRuntimeException ort ? OrtErrors.Translate(ort, null, null).RuntimeMessage : e.Message;
                }
            }
            fallback = $"CUDA requested for model '{modelId}' but unavailable on this machine ({FirstLine(cudaError)}); running on CPU.";
            log(fallback);
        }

        using var cpuOptions = BuildOptions(modelId, options);
        try
        {
            return new Created(CreateSession(path, bytes, cpuOptions), [OnnxSessionOptions.Cpu], fallback);
        }
        catch (Ort.OnnxRuntimeException e)
        {
            throw OrtErrors.Translate(e, modelId, context);
        }
    }

    /// <summary>
    /// The model with its initializer inputs removed, loaded from bytes when that changed anything;
    /// otherwise as it was. A file that cannot be read or parsed is left to ORT, which names what is wrong.
    /// </summary>
    private static (string? Path, byte[]? Bytes, int Removed) WithConstantWeights(string? path, byte[]? bytes)
    {
        try
        {
            var model = bytes ?? File.ReadAllBytes(path!);
            var (edited, removed) = OnnxInitializerInputs.Remove(model);
            return removed == 0 ? (path, bytes, 0) : (null, edited, removed);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or OutOfMemoryException)
        {
            return (path, bytes, 0);
        }
    }

    private static Ort.InferenceSession CreateSession(string? path, byte[]? bytes, Ort.SessionOptions options) =>
        path is not null ? new Ort.InferenceSession(path, options) : new Ort.InferenceSession(bytes!, options);

    private static string LoadingContext(string? path, byte[]? bytes) =>
        path is null ? $"loading the model from {bytes!.Length} bytes" : $"loading the model from '{path}'";

    private static string FirstLine(string s)
    {
        var i = s.IndexOf('\n');
        return (i < 0 ? s : s[..i]).Trim();
    }

    internal const string IntraOpSpinning = "session.intra_op.allow_spinning";
    internal const string InterOpSpinning = "session.inter_op.allow_spinning";

    private static Ort.SessionOptions BuildOptions(string modelId, OnnxSessionOptions options)
    {
        var o = new Ort.SessionOptions();
        try
        {
            o.IntraOpNumThreads = options.IntraOpThreads;
            o.InterOpNumThreads = options.InterOpThreads;
            o.GraphOptimizationLevel = options.GraphOptimizationLevel switch
            {
                OnnxGraphOptimizationLevel.Disabled => Ort.GraphOptimizationLevel.ORT_DISABLE_ALL,
                OnnxGraphOptimizationLevel.Basic => Ort.GraphOptimizationLevel.ORT_ENABLE_BASIC,
                OnnxGraphOptimizationLevel.Extended => Ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
                _ => Ort.GraphOptimizationLevel.ORT_ENABLE_ALL,
            };
            o.ExecutionMode = options.ParallelExecution ? Ort.ExecutionMode.ORT_PARALLEL : Ort.ExecutionMode.ORT_SEQUENTIAL;
            o.LogId = modelId;
            o.LogSeverityLevel = Ort.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR;
            o.EnableCpuMemArena = options.EnableCpuMemArena;
            o.EnableMemoryPattern = options.EnableMemoryPattern && !options.ParallelExecution;
            // No busy-waiting pool threads unless asked (a shared server's cores belong to other work too).
            var spin = options.AllowSpinning ? "1" : "0";
            if (options.ConfigEntries?.ContainsKey(IntraOpSpinning) != true) o.AddSessionConfigEntry(IntraOpSpinning, spin);
            if (options.ConfigEntries?.ContainsKey(InterOpSpinning) != true) o.AddSessionConfigEntry(InterOpSpinning, spin);
            if (options.ConfigEntries is { } entries)
                foreach (var (key, value) in entries)
                {
                    try { o.AddSessionConfigEntry(key, value); }
                    catch (Ort.OnnxRuntimeException e) { throw OrtErrors.Translate(e, modelId, $"setting session config '{key}'"); }
                }
            return o;
        }
        catch
        {
            o.Dispose();
            throw;
        }
    }
}
