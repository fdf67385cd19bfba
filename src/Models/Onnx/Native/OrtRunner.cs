using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Vigil.Models.Tensors;

namespace Vigil.Models.Onnx.Native;

/// <summary>
/// One session's run path, written to allocate little per call: input and output names are
/// UTF-8 strings on the pinned object heap, created once; inputs become <c>OrtValue</c>s over the
/// caller's pinned memory (no copy) with the process-wide CPU memory info; pointer arrays live on
/// the stack. Outputs are allocated by ORT and copied once into pooled tensors. The per-call
/// <c>OrtValue</c>s are raw pointers released in one <c>finally</c> rather than SafeHandles: a
/// finalizable object per tensor per call would cost more than the rest of the call's overhead.
/// </summary>
internal sealed unsafe class OrtRunner
{
    private const int StackLimit = 64;

    private readonly OrtSessionHandle _session;
    private readonly string _modelId;
    private readonly OnnxTensorInfo[] _inputs;
    private readonly string[] _outputNames;
    private readonly IntPtr[] _inputNamePtrs;
    private readonly IntPtr[] _outputNamePtrs;
    private readonly Dictionary<string, int> _inputIndex;
    private readonly Dictionary<string, int> _outputIndex;
    // Keep the pinned name buffers reachable for as long as the runner lives.
    private readonly byte[][] _nameBuffers;

    public OrtRunner(OrtSessionHandle session, string modelId, OnnxTensorInfo[] inputs, OnnxTensorInfo[] outputs)
    {
        _session = session;
        _modelId = modelId;
        _inputs = inputs;
        _outputNames = outputs.Select(o => o.Name).ToArray();
        var buffers = new List<byte[]>();
        _inputNamePtrs = PinNames(inputs.Select(i => i.Name), buffers);
        _outputNamePtrs = PinNames(_outputNames, buffers);
        _nameBuffers = buffers.ToArray();
        _inputIndex = inputs.Select((info, i) => (info.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        _outputIndex = _outputNames.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, StringComparer.Ordinal);
    }

    /// <summary>Runs with inputs in any order; returns the requested outputs (all when null), in that order.</summary>
    public OnnxRunResult Run(ReadOnlySpan<NamedTensor> inputs, IReadOnlyList<string>? outputNames, CancellationToken cancellation)
    {
        var n = _inputs.Length;
        if (inputs.Length != n || n > StackLimit) ThrowCountMismatch(inputs);
        // Order inputs as the model declares them and validate each against its metadata.
        Span<int> order = stackalloc int[n];
        order.Fill(-1);
        for (var k = 0; k < inputs.Length; k++)
        {
            var (name, tensor) = inputs[k];
            if (name is null || !_inputIndex.TryGetValue(name, out var index))
                throw new OnnxInputException(_modelId, name ?? "(null)",
                    $"the model has no such input (inputs: {string.Join(", ", _inputs.Select(i => i.ToString()))}).");
            if (order[index] >= 0) throw new OnnxInputException(_modelId, name, "given twice.");
            ArgumentNullException.ThrowIfNull(tensor, name);
            if (_inputs[index].Mismatch(tensor.ElementType, tensor.Shape) is { } problem)
                throw new OnnxInputException(_modelId, name, problem);
            order[index] = k;
        }

        var outputCount = outputNames?.Count ?? _outputNames.Length;
        if (outputCount is 0 or > StackLimit)
            throw new ArgumentException($"Model '{_modelId}': between 1 and {StackLimit} outputs may be requested, got {outputCount}.", nameof(outputNames));
        IntPtr* outNames = stackalloc IntPtr[outputCount];
        var resultNames = outputNames is null ? _outputNames : new string[outputCount];
        for (var j = 0; j < outputCount; j++)
        {
            if (outputNames is null) { outNames[j] = _outputNamePtrs[j]; continue; }
            var name = outputNames[j];
            if (!_outputIndex.TryGetValue(name, out var index))
                throw new ArgumentException($"Model '{_modelId}' has no output '{name}' (outputs: {string.Join(", ", _outputNames)}).", nameof(outputNames));
            outNames[j] = _outputNamePtrs[index];
            resultNames[j] = name;
        }

        IntPtr* values = stackalloc IntPtr[n];
        IntPtr* names = stackalloc IntPtr[n];
        IntPtr* outputs = stackalloc IntPtr[outputCount];
        new Span<IntPtr>(values, n).Clear();
        new Span<IntPtr>(outputs, outputCount).Clear();
        var pins = ArrayPool<MemoryHandle>.Shared.Rent(n);
        Array.Clear(pins, 0, n); // a rented array may hold another renter's handles: never dispose those
        var addedRef = false;
        OrtRunOptionsHandle? runOptions = null;
        CancellationTokenRegistration registration = default;
        try
        {
            var memoryInfo = OrtEnvironment.CpuMemoryInfo;
            for (var i = 0; i < n; i++)
            {
                var tensor = inputs[order[i]].Tensor;
                pins[i] = tensor.Pin();
                names[i] = _inputNamePtrs[i];
                var shape = tensor.Shape;
                IntPtr value;
                IntPtr status;
                fixed (long* dims = shape.Dimensions)
                    status = OrtApi.CreateTensorWithDataAsOrtValue(memoryInfo, pins[i].Pointer, (nuint)tensor.ByteLength,
                        dims, (nuint)shape.Rank, (int)tensor.ElementType, &value);
                if (status != IntPtr.Zero) throw OrtApi.ToException(status, _modelId, $"binding input '{_inputs[i].Name}' {tensor}");
                values[i] = value;
            }

            if (cancellation.CanBeCanceled)
            {
                cancellation.ThrowIfCancellationRequested();
                runOptions = CreateRunOptions();
                var ro = runOptions;
                registration = cancellation.Register(() => OrtApi.ReleaseStatus(OrtApi.RunOptionsSetTerminate(ro.DangerousGetHandle())));
            }

            try
            {
                _session.DangerousAddRef(ref addedRef);
            }
            catch (ObjectDisposedException)
            {
                throw new OnnxRuntimeException(OnnxErrorCode.SessionDisposed, "the session was disposed.", _modelId, "running");
            }
            var runStatus = OrtApi.Run(_session.DangerousGetHandle(), runOptions?.DangerousGetHandle() ?? IntPtr.Zero,
                names, values, (nuint)n, outNames, (nuint)outputCount, outputs);
            if (runStatus != IntPtr.Zero)
            {
                var error = OrtApi.ToException(runStatus, _modelId, "running with " + DescribeInputs(inputs));
                cancellation.ThrowIfCancellationRequested();
                throw error;
            }
            return new OnnxRunResult(_modelId, resultNames, CopyOutputs(outputs, outputCount, resultNames));
        }
        finally
        {
            registration.Dispose();
            if (addedRef) _session.DangerousRelease();
            runOptions?.Dispose();
            for (var i = 0; i < n; i++)
            {
                if (values[i] != IntPtr.Zero) OrtApi.ReleaseValue(values[i]);
                pins[i].Dispose();
                pins[i] = default;
            }
            ArrayPool<MemoryHandle>.Shared.Return(pins);
            for (var j = 0; j < outputCount; j++)
                if (outputs[j] != IntPtr.Zero) OrtApi.ReleaseValue(outputs[j]);
        }
    }

    private Tensor?[] CopyOutputs(IntPtr* outputs, int count, string[] names)
    {
        var result = new Tensor?[count];
        try
        {
            for (var j = 0; j < count; j++) result[j] = CopyOutput(outputs[j], names[j]);
            return result;
        }
        catch
        {
            foreach (var t in result) t?.Dispose();
            throw;
        }
    }

    private Tensor CopyOutput(IntPtr value, string name)
    {
        int valueType;
        OrtApi.Check(OrtApi.GetValueType(value, &valueType), _modelId, $"reading output '{name}'");
        if (valueType != OrtConstants.OnnxTypeTensor)
            throw new OnnxRuntimeException(OnnxErrorCode.UnsupportedOutput, $"output '{name}' is not a tensor (ONNX type {valueType}).", _modelId);
        IntPtr info;
        OrtApi.Check(OrtApi.GetTensorTypeAndShape(value, &info), _modelId, $"reading the shape of output '{name}'");
        TensorElementType type;
        TensorShape shape;
        try
        {
            int t;
            OrtApi.Check(OrtApi.GetTensorElementType(info, &t), _modelId, $"reading the type of output '{name}'");
            nuint rank;
            OrtApi.Check(OrtApi.GetDimensionsCount(info, &rank), _modelId, $"reading the rank of output '{name}'");
            Span<long> dims = stackalloc long[(int)rank];
            fixed (long* d = dims)
                OrtApi.Check(OrtApi.GetDimensions(info, d, rank), _modelId, $"reading the shape of output '{name}'");
            type = (TensorElementType)t;
            shape = new TensorShape(dims);
        }
        finally
        {
            OrtApi.ReleaseTensorTypeAndShapeInfo(info);
        }
        var tensor = TensorFactory.Allocate(type, shape) ?? throw new OnnxRuntimeException(OnnxErrorCode.UnsupportedOutput,
            $"output '{name}' has element type {TensorElementTypes.Name(type)}, which Vigil's dense tensors do not hold.", _modelId);
        if (shape.ElementCount > 0)
        {
            void* data;
            OrtApi.Check(OrtApi.GetTensorMutableData(value, &data), _modelId, $"reading the data of output '{name}'");
            using var pin = tensor.Pin();
            Buffer.MemoryCopy(data, pin.Pointer, tensor.ByteLength, tensor.ByteLength);
        }
        return tensor;
    }

    private static OrtRunOptionsHandle CreateRunOptions()
    {
        IntPtr p;
        OrtApi.Check(OrtApi.CreateRunOptions(&p), context: "creating run options");
        var handle = new OrtRunOptionsHandle();
        handle.Adopt(p);
        return handle;
    }

    private void ThrowCountMismatch(ReadOnlySpan<NamedTensor> inputs)
    {
        var given = new HashSet<string>(inputs.ToArray().Select(i => i.Name ?? ""), StringComparer.Ordinal);
        var missing = _inputs.Where(i => !given.Contains(i.Name)).ToList();
        if (missing.Count > 0)
            throw new OnnxInputException(_modelId, missing[0].Name,
                $"missing (the model needs {_inputs.Length} input(s): {string.Join(", ", _inputs.Select(i => i.ToString()))}).");
        var extra = given.FirstOrDefault(g => !_inputIndex.ContainsKey(g)) ?? inputs[0].Name ?? "(null)";
        throw new OnnxInputException(_modelId, extra,
            $"the model takes {_inputs.Length} input(s) ({string.Join(", ", _inputs.Select(i => i.Name))}), {inputs.Length} were given.");
    }

    private static string DescribeInputs(ReadOnlySpan<NamedTensor> inputs)
    {
        var sb = new StringBuilder();
        foreach (var (name, tensor) in inputs)
        {
            if (sb.Length > 0) sb.Append(", ");
            sb.Append(name).Append(": ").Append(tensor);
        }
        return sb.ToString();
    }

    private static IntPtr[] PinNames(IEnumerable<string> names, List<byte[]> keep)
    {
        var ptrs = new List<IntPtr>();
        foreach (var name in names)
        {
            var count = Encoding.UTF8.GetByteCount(name);
            var buffer = GC.AllocateArray<byte>(count + 1, pinned: true);
            Encoding.UTF8.GetBytes(name, buffer);
            keep.Add(buffer);
            ptrs.Add((IntPtr)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer)));
        }
        return ptrs.ToArray();
    }
}
