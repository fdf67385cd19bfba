namespace Vigil.Models.Onnx;

/// <summary>How an <see cref="OnnxSession"/> is created and run.</summary>
public sealed class OnnxSessionOptions
{
    /// <summary>Execution provider name for ONNX Runtime's CPU provider.</summary>
    public const string Cpu = "CPU";

    /// <summary>Execution provider name for NVIDIA CUDA.</summary>
    public const string Cuda = "CUDA";

    /// <summary>
    /// The id used in errors and logs; defaults to the model file name without extension
    /// (or "model" for models loaded from bytes).
    /// </summary>
    public string? ModelId { get; set; }

    /// <summary>Threads used inside one operator (0 = ORT's default, one per core; 1 = the calling thread only).</summary>
    public int IntraOpThreads { get; set; }

    /// <summary>Threads used to run independent operators in parallel (0 = ORT's default). Only used with <see cref="ParallelExecution"/>.</summary>
    public int InterOpThreads { get; set; }

    /// <summary>Run independent branches of the graph in parallel (ORT_PARALLEL) instead of in sequence.</summary>
    public bool ParallelExecution { get; set; }

    /// <summary>
    /// Let ONNX Runtime's intra-/inter-op pool threads spin (busy-wait) between operators instead of
    /// sleeping (default false). Spinning shaves microseconds off multi-threaded runs but keeps
    /// cores busy after every run; on a shared clinical server that CPU belongs to other patients'
    /// graphs, so Vigil does not spin unless asked. No effect with one intra-op thread.
    /// Explicit <see cref="ConfigEntries"/> for <c>session.intra_op.allow_spinning</c> /
    /// <c>session.inter_op.allow_spinning</c> take precedence.
    /// </summary>
    public bool AllowSpinning { get; set; }

    /// <summary>
    /// ONNX Runtime's CPU memory arena (default true): intermediate tensors come from a pool that
    /// is reused run after run instead of malloc/free per operator. Turning it off cost a third of
    /// UltraFace's throughput here (docs/models.md); the price is memory kept at its peak.
    /// </summary>
    public bool EnableCpuMemArena { get; set; } = true;

    /// <summary>
    /// Memory pattern planning (default true): with inputs of unchanged shape, ONNX Runtime plans
    /// one block for all intermediates of a run. Sequential execution only.
    /// </summary>
    public bool EnableMemoryPattern { get; set; } = true;

    /// <summary>
    /// Keep weights that the model also lists as graph inputs overridable (default false). Older
    /// exporters (PyTorch before 1.x's <c>keep_initializers_as_inputs=False</c>) list every initializer
    /// as an input; ONNX Runtime then treats those weights as values a caller might replace, so it
    /// cannot fold constants, fuse BatchNorm into Conv or prepack Conv weights. UltraFace ran 3 to 4
    /// times slower that way here (docs/models.md). By default Vigil removes such inputs when it loads
    /// the model (<see cref="OnnxInitializerInputs"/>), which is what ORT's own warning recommends; set
    /// this to feed weights at run time.
    /// </summary>
    public bool KeepInitializerInputs { get; set; }

    /// <summary>Graph optimisation applied when the model is loaded.</summary>
    public OnnxGraphOptimizationLevel GraphOptimizationLevel { get; set; } = OnnxGraphOptimizationLevel.All;

    /// <summary>
    /// Execution providers by name in order of preference: "CPU" (always present as the last
    /// resort) and "CUDA". A provider the library or the machine lacks is skipped with a logged
    /// fallback to CPU; an unknown name is an error.
    /// </summary>
    public IReadOnlyList<string> ExecutionProviders { get; set; } = DefaultExecutionProviders;

    /// <summary>The environment variable that sets the default providers at start-up, e.g. <c>VIGIL_ONNX_PROVIDERS=CUDA,CPU</c>.</summary>
    public const string ProvidersVariable = "VIGIL_ONNX_PROVIDERS";

    /// <summary>
    /// The providers a new options object starts with: those named (comma-separated) in
    /// <see cref="ProvidersVariable"/> when it is set, otherwise just "CPU". Read once per process.
    /// </summary>
    public static IReadOnlyList<string> DefaultExecutionProviders { get; } = ParseProviders(Environment.GetEnvironmentVariable(ProvidersVariable));

    /// <summary>Parses a comma-separated provider list ("cuda,cpu"); empty or null gives ["CPU"].</summary>
    public static IReadOnlyList<string> ParseProviders(string? text)
    {
        var names = (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(n => n.ToUpperInvariant()).ToArray();
        return names.Length == 0 ? [Cpu] : names;
    }

    /// <summary>
    /// Refuse floating-point inputs holding NaN or ±Infinity with an <see cref="OnnxInputException"/>
    /// naming the input and the element (default true): a model's answer to them is not a result.
    /// </summary>
    public bool RejectNonFiniteInputs { get; set; } = true;

    /// <summary>The CUDA device used when "CUDA" is requested.</summary>
    public int CudaDeviceId { get; set; }

    /// <summary>Where notices such as a provider fallback go; defaults to standard error.</summary>
    public Action<string>? Log { get; set; }

    /// <summary>Extra ORT session configuration entries (key/value pairs of <c>AddSessionConfigEntry</c>).</summary>
    public IReadOnlyDictionary<string, string>? ConfigEntries { get; set; }
}
