using Vigil.Models.Onnx.Binding;
using Vigil.Models.Tensors;
using Ort = Microsoft.ML.OnnxRuntime;

namespace Vigil.Models.Onnx;

/// <summary>
/// A loaded ONNX model, run by ONNX Runtime through its official .NET binding
/// (<c>Microsoft.ML.OnnxRuntime</c>). Create with <see cref="Load(string, OnnxSessionOptions?)"/> (file) or
/// <see cref="Load(ReadOnlySpan{byte}, string, OnnxSessionOptions?)"/> (bytes).
/// <see cref="Run(IReadOnlyDictionary{string, Tensor}, IReadOnlyList{string}?, CancellationToken)"/> is
/// thread-safe: many threads may run one session at once. Inputs are checked against the model's
/// declared names, types and shapes before ORT sees them; errors name the model and the inputs.
/// </summary>
public sealed class OnnxSession : Runtimes.IInferenceSession
{
    private readonly Ort.InferenceSession _session;
    private readonly SessionRunner _runner;
    private readonly SessionLifetime _lifetime;

    private OnnxSession(string modelId, string? path, SessionFactory.Created created, bool rejectNonFinite)
    {
        ModelId = modelId;
        ModelPath = path;
        _session = created.Session;
        ExecutionProviders = created.Providers;
        FallbackReason = created.FallbackReason;
        WeightInputsMadeConstant = created.WeightInputsMadeConstant;
        try
        {
            var inputs = MetadataReader.Inputs(_session);
            var outputs = MetadataReader.Outputs(_session);
            Inputs = inputs;
            Outputs = outputs;
            foreach (var input in inputs.Where(i => !i.IsTensor))
                throw new OnnxRuntimeException(OnnxErrorCode.UnsupportedOutput, $"input '{input.Name}' is not a tensor; Vigil binds tensors only.", modelId);
            _runner = new SessionRunner(_session, modelId, inputs, outputs, rejectNonFinite);
        }
        catch (Ort.OnnxRuntimeException e)
        {
            _session.Dispose();
            throw OrtErrors.Translate(e, modelId, "reading the model's inputs and outputs");
        }
        catch
        {
            _session.Dispose();
            throw;
        }
        _lifetime = new SessionLifetime(() =>
        {
            _runner.Dispose();
            _session.Dispose();
        });
    }

    /// <summary>The id used in errors and logs.</summary>
    public string ModelId { get; }

    /// <summary>Always <c>onnxruntime</c>.</summary>
    public string Runtime => Runtimes.ModelRuntimeNames.OnnxRuntime;

    /// <summary>The file the model was loaded from, or null when loaded from bytes.</summary>
    public string? ModelPath { get; }

    /// <summary>The model's inputs, in declaration order.</summary>
    public IReadOnlyList<OnnxTensorInfo> Inputs { get; }

    /// <summary>The model's outputs, in declaration order.</summary>
    public IReadOnlyList<OnnxTensorInfo> Outputs { get; }

    /// <summary>The execution providers in use, in preference order ("CUDA", "CPU" or just "CPU").</summary>
    public IReadOnlyList<string> ExecutionProviders { get; }

    /// <summary>
    /// How many weights the model listed as graph inputs were loaded as constants (0 when none, or
    /// with <see cref="OnnxSessionOptions.KeepInitializerInputs"/>); see <see cref="OnnxInitializerInputs"/>.
    /// </summary>
    public int WeightInputsMadeConstant { get; }

    /// <summary>Why a requested provider was not used (it was also logged), or null.</summary>
    public string? FallbackReason { get; }

    /// <summary>Loads a model file.</summary>
    /// <exception cref="OnnxRuntimeException">The file is missing, corrupt, truncated or not a valid model.</exception>
    public static OnnxSession Load(string path, OnnxSessionOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new OnnxSessionOptions();
        var modelId = options.ModelId ?? Path.GetFileNameWithoutExtension(path);
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new OnnxRuntimeException(OnnxErrorCode.NoSuchFile, $"model file '{full}' does not exist.", modelId, "loading the model");
        var created = SessionFactory.Create(modelId, full, null, options, LogOf(options));
        return new OnnxSession(modelId, full, created, options.RejectNonFiniteInputs);
    }

    /// <summary>Loads a model from its serialised bytes (ORT copies what it needs; the span may be reused after).</summary>
    /// <exception cref="OnnxRuntimeException">The bytes are not a valid model.</exception>
    public static OnnxSession Load(ReadOnlySpan<byte> model, string modelId, OnnxSessionOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelId);
        options ??= new OnnxSessionOptions();
        if (model.IsEmpty)
            throw new OnnxRuntimeException(OnnxErrorCode.InvalidProtobuf, "the model is empty (0 bytes).", modelId, "loading the model");
        var created = SessionFactory.Create(modelId, null, model.ToArray(), options, LogOf(options));
        return new OnnxSession(modelId, null, created, options.RejectNonFiniteInputs);
    }

    /// <summary>The declared input called <paramref name="name"/>.</summary>
    public OnnxTensorInfo Input(string name) => Inputs.FirstOrDefault(i => i.Name == name)
        ?? throw new KeyNotFoundException($"Model '{ModelId}' has no input '{name}' (inputs: {string.Join(", ", Inputs)}).");

    /// <summary>The declared output called <paramref name="name"/>.</summary>
    public OnnxTensorInfo Output(string name) => Outputs.FirstOrDefault(o => o.Name == name)
        ?? throw new KeyNotFoundException($"Model '{ModelId}' has no output '{name}' (outputs: {string.Join(", ", Outputs)}).");

    /// <summary>
    /// Runs the model. Every input must be given once, by name, with the declared element type and
    /// a shape that fits the declared one. Returns the requested outputs (all when
    /// <paramref name="outputNames"/> is null) in the requested order.
    /// </summary>
    /// <exception cref="OnnxInputException">An input is missing, unknown, or has the wrong type or shape.</exception>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime failed; the message carries ORT's text, the model id and the inputs.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> fired during the run.</exception>
    public OnnxRunResult Run(ReadOnlySpan<NamedTensor> inputs, IReadOnlyList<string>? outputNames = null, CancellationToken cancellation = default)
    {
        if (!_lifetime.TryEnter())
            throw new ObjectDisposedException(nameof(OnnxSession), $"The session of model '{ModelId}' was disposed.");
        try
        {
            return _runner.Run(inputs, outputNames, cancellation);
        }
        finally
        {
            _lifetime.Exit();
        }
    }

    /// <summary>Runs the model with inputs given as a name → tensor map.</summary>
    /// <inheritdoc cref="Run(ReadOnlySpan{NamedTensor}, IReadOnlyList{string}?, CancellationToken)"/>
    public OnnxRunResult Run(IReadOnlyDictionary<string, Tensor> inputs, IReadOnlyList<string>? outputNames = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var pairs = new NamedTensor[inputs.Count];
        var k = 0;
        foreach (var (name, tensor) in inputs) pairs[k++] = new NamedTensor(name, tensor);
        return Run(pairs, outputNames, cancellation);
    }

    /// <summary>Runs a single-input model.</summary>
    public OnnxRunResult Run(string inputName, Tensor input, CancellationToken cancellation = default) =>
        Run([new NamedTensor(inputName, input)], null, cancellation);

    /// <summary>
    /// Runs the model on a thread-pool thread, so the caller's thread is free while ORT computes.
    /// Cancellation asks ORT to stop the run (ORT's terminate flag) and ends with <see cref="OperationCanceledException"/>.
    /// </summary>
    public Task<OnnxRunResult> RunAsync(IReadOnlyDictionary<string, Tensor> inputs, IReadOnlyList<string>? outputNames = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var pairs = inputs.Select(p => new NamedTensor(p.Key, p.Value)).ToArray();
        return RunAsync(pairs, outputNames, cancellation);
    }

    /// <summary>Runs the model on a thread-pool thread with inputs given as named tensors.</summary>
    public Task<OnnxRunResult> RunAsync(NamedTensor[] inputs, IReadOnlyList<string>? outputNames = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return Task.Run(() => Run(inputs, outputNames, cancellation), cancellation);
    }

    /// <summary>Releases the native session once no run is using it.</summary>
    public void Dispose() => _lifetime.Dispose();

    /// <summary>True once <see cref="Dispose"/> was called.</summary>
    public bool IsDisposed => _lifetime.IsDisposed;

    /// <summary>True when every output is written by ORT straight into pooled Vigil tensors (no copy).</summary>
    public bool PreallocatesOutputs => _runner.PreallocatesAllOutputs;

    /// <summary>Describes the model: id, inputs, outputs and providers.</summary>
    public override string ToString() =>
        $"{ModelId} ({string.Join(", ", Inputs)}) -> ({string.Join(", ", Outputs)}) on {string.Join("+", ExecutionProviders)}";

    private static Action<string> LogOf(OnnxSessionOptions options) =>
        options.Log ?? (message => Console.Error.WriteLine("vigil onnx: " + message));
}
