using Vigil.Cluster.Wire;
using Vigil.Models.Onnx;
using Vigil.Models.Tensors;

namespace Vigil.Cluster.Inference;

/// <summary>
/// Serves an ONNX model through the ONNX Runtime binding (Vigil.Models.Onnx). Each request carries
/// one tensor for the model's single input, either one item (the declared shape without the batch
/// dimension) or a batch of one; the handler stacks the valid requests of a batch along dimension 0,
/// runs the model once, and splits every output back per request. A request whose tensor has the
/// wrong name, type or shape fails alone with an error naming the input and the expected shape.
/// </summary>
public sealed class OnnxHandler : IInferenceHandler, IDisposable
{
    private readonly OnnxSession _session;
    private readonly OnnxTensorInfo _input;
    private readonly long[] _itemShape;
    private readonly bool _batchable;

    /// <inheritdoc />
    public string ModelSha256 { get; }

    /// <summary>Loads the model at <paramref name="path"/>.</summary>
    public OnnxHandler(string modelId, string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"model '{modelId}': ONNX file not found: {path}", path);
        ModelSha256 = Vigil.Models.Catalog.ModelFileHash.Sha256OfFile(path);
        _session = OnnxSession.Load(path, new OnnxSessionOptions { ModelId = modelId, IntraOpThreads = 1 });
        if (_session.Inputs.Count != 1)
            throw new ArgumentException($"model '{modelId}' ({path}) has {_session.Inputs.Count} inputs; the cluster handler serves single-input models");
        _input = _session.Inputs[0];
        if (_input.ElementType != TensorElementType.Float32 || _input.Rank < 1)
            throw new ArgumentException($"model '{modelId}' input {_input} is not a float32 tensor with a batch dimension");
        _batchable = !_input.Dimensions[0].IsFixed;
        _itemShape = _input.Dimensions.Skip(1).Select(d => d.Size).ToArray();
        if (_itemShape.Any(d => d < 0)) throw new ArgumentException($"model '{modelId}' input {_input} has symbolic dimensions past the batch one");
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<HandlerOutcome>> InferAsync(IReadOnlyList<InferenceRequest> batch, CancellationToken ct)
    {
        var outcomes = new HandlerOutcome[batch.Count];
        var valid = new List<int>();
        for (int i = 0; i < batch.Count; i++)
        {
            string? why = Check(batch[i]);
            if (why is null) valid.Add(i); else outcomes[i] = HandlerOutcome.Fail(why);
        }
        // Fixed batch size 1: run one at a time; otherwise one run for the whole batch.
        int step = _batchable ? Math.Max(1, valid.Count) : 1;
        for (int start = 0; start < valid.Count; start += step)
        {
            var group = valid.GetRange(start, Math.Min(step, valid.Count - start));
            await RunGroupAsync(batch, group, outcomes, ct).ConfigureAwait(false);
        }
        return outcomes;
    }

    private string? Check(InferenceRequest r)
    {
        if (r.Inputs.Count != 1) return $"model takes one input '{_input.Name}', the request has {r.Inputs.Count}";
        var t = r.Inputs[0];
        if (t.Name != _input.Name) return $"input '{t.Name}' is not the model's input '{_input.Name}' {_input.ShapeText}";
        if (t.DataType != TensorElementType.Float32) return $"input '{t.Name}' is {t.DataType}; the model expects Float32 {_input.ShapeText}";
        var dims = t.Shape.Select(d => (long)d).ToArray();
        if (dims.Length == _itemShape.Length + 1 && dims[0] == 1) dims = dims[1..];
        if (!dims.SequenceEqual(_itemShape))
            return $"input '{t.Name}' has shape [{string.Join(",", t.Shape)}]; the model expects [{string.Join(",", _itemShape)}] or [1,{string.Join(",", _itemShape)}]";
        return null;
    }

    private async Task RunGroupAsync(IReadOnlyList<InferenceRequest> batch, List<int> group, HandlerOutcome[] outcomes, CancellationToken ct)
    {
        long itemElements = _itemShape.Aggregate(1L, (a, b) => a * b);
        using var stacked = DenseTensor<float>.Allocate(new TensorShape([group.Count, .. _itemShape]), clear: false);
        var span = System.Runtime.InteropServices.MemoryMarshal.AsBytes(stacked.Span);
        for (int k = 0; k < group.Count; k++)
            batch[group[k]].Inputs[0].Data.Span.CopyTo(span.Slice((int)(k * itemElements * 4)));
        try
        {
            using var result = await _session.RunAsync([new NamedTensor(_input.Name, stacked)], null, ct).ConfigureAwait(false);
            var perRequest = group.Select(_ => new List<WireTensor>()).ToList();
            foreach (var output in result)
            {
                var type = output.Tensor.ElementType;
                var shape = output.Tensor.Shape;
                if (TensorElementTypes.SizeOf(type) == 0 || shape.Rank < 1 || shape[0] != group.Count)
                    throw new InvalidOperationException($"output '{output.Name}' {output.Tensor} cannot be split per request");
                var bytes = output.Tensor.AsBytes();
                int rowBytes = bytes.Length / group.Count;
                var rowShape = new int[shape.Rank];
                rowShape[0] = 1;
                for (int d = 1; d < shape.Rank; d++) rowShape[d] = (int)shape[d];
                for (int k = 0; k < group.Count; k++)
                    perRequest[k].Add(new WireTensor(output.Name, type, rowShape, bytes.Slice(k * rowBytes, rowBytes).ToArray()));
            }
            for (int k = 0; k < group.Count; k++) outcomes[group[k]] = HandlerOutcome.Ok(perRequest[k]);
        }
        catch (Exception e) when (e is OnnxRuntimeException or OnnxInputException or InvalidOperationException)
        {
            foreach (var i in group) outcomes[i] = HandlerOutcome.Fail($"ONNX Runtime failed on a batch of {group.Count}: {e.Message}");
        }
    }

    /// <summary>Releases the ONNX Runtime session.</summary>
    public void Dispose() => _session.Dispose();
}
