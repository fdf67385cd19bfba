using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using Vigil.Models.Tensors;
using Ort = Microsoft.ML.OnnxRuntime;

namespace Vigil.Models.Onnx.Binding;

/// <summary>
/// One session's run path on the official binding. Each run binds its inputs through an
/// <c>OrtIoBinding</c> (rented from a per-session pool, since a binding is not thread-safe) as
/// <c>OrtValue</c>s over the caller's pinned memory, without copying. Outputs whose shape follows
/// from the inputs (fixed dimensions, or a symbol that an input also carries, such as
/// <c>batch</c>) are pre-allocated as pooled, pinned Vigil tensors and bound too, so ORT writes
/// straight into them; the others are allocated by ORT and copied once. If a pre-allocated shape
/// turns out wrong for a model (a symbol shared by name only), the run is repeated with ORT's
/// allocation and the session stops pre-allocating.
/// </summary>
internal sealed class SessionRunner : IDisposable
{
    private const int MaxBindings = 64;

    private readonly Ort.InferenceSession _session;
    private readonly string _modelId;
    private readonly OnnxTensorInfo[] _inputs;
    private readonly OnnxTensorInfo[] _outputs;
    private readonly string[] _outputNames;
    private readonly Dictionary<string, int> _inputIndex;
    private readonly Dictionary<string, int> _outputIndex;
    // Per output: how to compute its shape from the inputs, or null when it cannot be known before the run.
    private readonly DimSource[]?[] _outputShapes;
    private readonly ConcurrentBag<Ort.OrtIoBinding> _bindings = new();
    // False once a pre-allocated output was refused by ORT for this model.
    private volatile bool _preallocate = true;
    // Refuse NaN/±Inf in floating-point inputs (OnnxSessionOptions.RejectNonFiniteInputs).
    private readonly bool _rejectNonFinite;

    private readonly record struct DimSource(long Fixed, int Input, int Dim);

    public SessionRunner(Ort.InferenceSession session, string modelId, OnnxTensorInfo[] inputs, OnnxTensorInfo[] outputs, bool rejectNonFinite)
    {
        _rejectNonFinite = rejectNonFinite;
        _session = session;
        _modelId = modelId;
        _inputs = inputs;
        _outputs = outputs;
        _outputNames = outputs.Select(o => o.Name).ToArray();
        _inputIndex = inputs.Select((info, i) => (info.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        _outputIndex = _outputNames.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, StringComparer.Ordinal);
        _outputShapes = outputs.Select(ShapeSource).ToArray();
    }

    /// <summary>True when every output of this model can be pre-allocated (all dimensions known from the inputs).</summary>
    public bool PreallocatesAllOutputs => _preallocate && _outputShapes.All(s => s is not null);

    /// <summary>Runs with inputs in any order; returns the requested outputs (all when null), in that order.</summary>
    public OnnxRunResult Run(ReadOnlySpan<NamedTensor> inputs, IReadOnlyList<string>? outputNames, CancellationToken cancellation)
    {
        var n = _inputs.Length;
        if (inputs.Length != n) ThrowCountMismatch(inputs);
        // Order inputs as the model declares them and validate each against its metadata.
        var order = ArrayPool<Tensor>.Shared.Rent(n);
        try
        {
            Array.Clear(order, 0, n);
            for (var k = 0; k < inputs.Length; k++)
            {
                var (name, tensor) = inputs[k];
                if (name is null || !_inputIndex.TryGetValue(name, out var index))
                    throw new OnnxInputException(_modelId, name ?? "(null)",
                        $"the model has no such input (inputs: {string.Join(", ", _inputs.Select(i => i.ToString()))}).");
                if (order[index] is not null) throw new OnnxInputException(_modelId, name, "given twice.");
                ArgumentNullException.ThrowIfNull(tensor, name);
                if (_inputs[index].Mismatch(tensor.ElementType, tensor.Shape) is { } problem)
                    throw new OnnxInputException(_modelId, name, problem);
                if (_rejectNonFinite && NonFinite.IndexOf(tensor) is >= 0 and var bad)
                    throw new OnnxInputException(_modelId, name,
                        $"element {bad} of {tensor} is {DescribeValue(tensor, bad)}; a result computed from it could not be supported.");
                order[index] = tensor;
            }
            var requested = ResolveOutputs(outputNames);
            cancellation.ThrowIfCancellationRequested();
            try
            {
                return RunBound(order, requested, _preallocate, cancellation);
            }
            catch (OnnxRuntimeException) when (_preallocate && !cancellation.IsCancellationRequested && AnyPreallocated(requested))
            {
                // Retry with ORT's own output allocation; if that works, the pre-allocated shape was the problem.
                var result = RunBound(order, requested, preallocate: false, cancellation);
                _preallocate = false;
                return result;
            }
            catch (OnnxRuntimeException) when (cancellation.IsCancellationRequested)
            {
                throw new OperationCanceledException($"Run of model '{_modelId}' was cancelled.", cancellation);
            }
        }
        finally
        {
            Array.Clear(order, 0, n);
            ArrayPool<Tensor>.Shared.Return(order);
        }
    }

    private int[] ResolveOutputs(IReadOnlyList<string>? outputNames)
    {
        var count = outputNames?.Count ?? _outputNames.Length;
        if (count == 0)
            throw new ArgumentException($"Model '{_modelId}': at least one output must be requested.", nameof(outputNames));
        var result = new int[count];
        for (var j = 0; j < count; j++)
        {
            if (outputNames is null) { result[j] = j; continue; }
            var name = outputNames[j];
            if (name is null || !_outputIndex.TryGetValue(name, out var index))
                throw new ArgumentException($"Model '{_modelId}' has no output '{name}' (outputs: {string.Join(", ", _outputNames)}).", nameof(outputNames));
            result[j] = index;
        }
        foreach (var j in result)
            if (!_outputs[j].IsTensor)
                throw new OnnxRuntimeException(OnnxErrorCode.UnsupportedOutput, $"output '{_outputs[j].Name}' is not a tensor; Vigil binds tensors only.", _modelId);
        return result;
    }

    private bool AnyPreallocated(int[] requested) => requested.Any(j => _outputShapes[j] is not null);

    private OnnxRunResult RunBound(Tensor[] inputs, int[] requested, bool preallocate, CancellationToken cancellation)
    {
        var n = _inputs.Length;
        var m = requested.Length;
        var binding = RentBinding();
        var inputValues = new Ort.OrtValue?[n];
        var inputPins = new MemoryHandle[n];
        var outputs = new Tensor?[m];
        var outputPins = new MemoryHandle[m];
        var outputValues = new Ort.OrtValue?[m];
        var succeeded = false;
        Ort.RunOptions? runOptions = null;
        CancellationTokenRegistration registration = default;
        try
        {
            unsafe
            {
                for (var i = 0; i < n; i++)
                {
                    var tensor = inputs[i];
                    inputPins[i] = tensor.Pin();
                    inputValues[i] = Ort.OrtValue.CreateTensorValueWithData(Ort.OrtMemoryInfo.DefaultInstance,
                        (Ort.Tensors.TensorElementType)(int)tensor.ElementType, tensor.Shape.DimensionArray,
                        (IntPtr)inputPins[i].Pointer, tensor.ByteLength);
                    binding.BindInput(_inputs[i].Name, inputValues[i]!);
                }
                for (var j = 0; j < m; j++)
                {
                    var info = _outputs[requested[j]];
                    if (preallocate && OutputShape(requested[j], inputs) is { } shape
                        && TensorFactory.Allocate(info.ElementType, shape) is { } tensor)
                    {
                        outputs[j] = tensor;
                        outputPins[j] = tensor.Pin();
                        outputValues[j] = Ort.OrtValue.CreateTensorValueWithData(Ort.OrtMemoryInfo.DefaultInstance,
                            (Ort.Tensors.TensorElementType)(int)info.ElementType, shape.DimensionArray,
                            (IntPtr)outputPins[j].Pointer, tensor.ByteLength);
                        binding.BindOutput(info.Name, outputValues[j]!);
                    }
                    else
                    {
                        binding.BindOutputToDevice(info.Name, Ort.OrtMemoryInfo.DefaultInstance);
                    }
                }
            }

            if (cancellation.CanBeCanceled)
            {
                runOptions = new Ort.RunOptions();
                var ro = runOptions;
                registration = cancellation.Register(() => ro.Terminate = true);
            }
            _session.RunWithBinding(runOptions ?? OrtRuntime.SharedRunOptions, binding);

            if (outputs.Any(t => t is null))
            {
                // Outputs ORT allocated come back in binding order; copy them into pooled tensors.
                using var produced = binding.GetOutputValues();
                for (var j = 0; j < m; j++)
                    if (outputs[j] is null) outputs[j] = CopyOutput(produced[j], _outputs[requested[j]].Name);
            }
            succeeded = true;
            var names = new string[m];
            for (var j = 0; j < m; j++) names[j] = _outputs[requested[j]].Name;
            return new OnnxRunResult(_modelId, names, outputs);
        }
        catch (Ort.OnnxRuntimeException e)
        {
            throw OrtErrors.Translate(e, _modelId, "running with " + DescribeInputs(inputs));
        }
        finally
        {
            registration.Dispose();
            runOptions?.Dispose();
            binding.ClearBoundInputs();
            binding.ClearBoundOutputs();
            ReturnBinding(binding);
            for (var i = 0; i < n; i++)
            {
                inputValues[i]?.Dispose();
                inputPins[i].Dispose();
            }
            for (var j = 0; j < m; j++)
            {
                outputValues[j]?.Dispose();
                outputPins[j].Dispose();
                if (!succeeded) outputs[j]?.Dispose();
            }
        }
    }

    private Tensor CopyOutput(Ort.OrtValue value, string name)
    {
        if (!value.IsTensor)
            throw new OnnxRuntimeException(OnnxErrorCode.UnsupportedOutput, $"output '{name}' is not a tensor ({value.OnnxType}).", _modelId);
        var info = value.GetTensorTypeAndShape();
        var type = (TensorElementType)(int)info.ElementDataType;
        var shape = new TensorShape(info.Shape);
        var tensor = TensorFactory.Allocate(type, shape) ?? throw new OnnxRuntimeException(OnnxErrorCode.UnsupportedOutput,
            $"output '{name}' has element type {TensorElementTypes.Name(type)}, which Vigil's dense tensors do not hold.", _modelId);
        if (shape.ElementCount > 0)
        {
            unsafe
            {
                using var pin = tensor.Pin();
                value.GetTensorMutableRawData().CopyTo(new Span<byte>(pin.Pointer, checked((int)tensor.ByteLength)));
            }
        }
        return tensor;
    }

    private TensorShape? OutputShape(int output, Tensor[] inputs)
    {
        if (_outputShapes[output] is not { } sources) return null;
        var dims = new long[sources.Length];
        for (var d = 0; d < dims.Length; d++)
            dims[d] = sources[d].Input < 0 ? sources[d].Fixed : inputs[sources[d].Input].Shape[sources[d].Dim];
        return new TensorShape(dims);
    }

    // Fixed dimensions are known; a symbolic one is known when an input declares the same symbol.
    private DimSource[]? ShapeSource(OnnxTensorInfo output)
    {
        if (!output.IsTensor || TensorElementTypes.ClrTypeOf(output.ElementType) is null) return null;
        var result = new DimSource[output.Rank];
        for (var d = 0; d < output.Rank; d++)
        {
            var dim = output.Dimensions[d];
            if (dim.IsFixed) { result[d] = new DimSource(dim.Size, -1, -1); continue; }
            if (dim.Symbol is null) return null;
            var found = false;
            for (var i = 0; i < _inputs.Length && !found; i++)
                for (var k = 0; k < _inputs[i].Rank && !found; k++)
                    if (_inputs[i].Dimensions[k].Symbol == dim.Symbol)
                    {
                        result[d] = new DimSource(-1, i, k);
                        found = true;
                    }
            if (!found) return null;
        }
        return result;
    }

    private Ort.OrtIoBinding RentBinding() => _bindings.TryTake(out var b) ? b : _session.CreateIoBinding();

    private void ReturnBinding(Ort.OrtIoBinding binding)
    {
        if (_bindings.Count < MaxBindings) _bindings.Add(binding);
        else binding.Dispose();
    }

    private void ThrowCountMismatch(ReadOnlySpan<NamedTensor> inputs)
    {
        var given = new HashSet<string>(inputs.ToArray().Select(i => i.Name ?? ""), StringComparer.Ordinal);
        var missing = _inputs.Where(i => !given.Contains(i.Name)).ToList();
        if (missing.Count > 0)
            throw new OnnxInputException(_modelId, missing[0].Name,
                $"missing (the model needs {_inputs.Length} input(s): {string.Join(", ", _inputs.Select(i => i.ToString()))}).");
        var extra = given.FirstOrDefault(g => !_inputIndex.ContainsKey(g)) ?? (inputs.Length > 0 ? inputs[0].Name : null) ?? "(null)";
        throw new OnnxInputException(_modelId, extra,
            $"the model takes {_inputs.Length} input(s) ({string.Join(", ", _inputs.Select(i => i.Name))}), {inputs.Length} were given.");
    }

    private static string DescribeValue(Tensor tensor, long index)
    {
        double v = tensor.ElementType switch
        {
            TensorElementType.Float32 => tensor.As<float>()[index],
            TensorElementType.Float64 => tensor.As<double>()[index],
            _ => (double)tensor.As<Half>()[index],
        };
        return double.IsNaN(v) ? "NaN" : v > 0 ? "+Infinity" : "-Infinity";
    }

    private string DescribeInputs(Tensor[] inputs)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < _inputs.Length; i++)
        {
            if (sb.Length > 0) sb.Append(", ");
            sb.Append(_inputs[i].Name).Append(": ").Append(inputs[i]);
        }
        return sb.ToString();
    }

    /// <summary>Releases the pooled bindings (the session itself is released by its owner).</summary>
    public void Dispose()
    {
        while (_bindings.TryTake(out var b)) b.Dispose();
    }
}
