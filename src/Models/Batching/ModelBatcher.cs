using Vigil.Models.Catalog;
using Vigil.Models.Onnx;
using Vigil.Models.Runtimes;
using Vigil.Models.Tensors;

namespace Vigil.Models.Batching;

/// <summary>
/// The per-model batching actor over a <see cref="ModelCatalog"/>: requests for one model id are
/// queued by a <see cref="DynamicBatcher{TRequest, TResponse}"/>, stacked along the batch
/// dimension, run in one session call on a lease of the model's current version, and split back
/// into one <see cref="InferenceResult"/> per request carrying that version's provenance. Models
/// whose inputs have a fixed batch dimension run one request at a time. A request with wrong
/// input names, types or shapes fails alone with a clear error; the others in its batch are rerun
/// without it. A version swapped in by the catalog takes over from the next batch.
/// </summary>
public sealed class ModelBatcher : IAsyncDisposable
{
    private readonly ModelCatalog _catalog;
    private readonly DynamicBatcher<InferenceRequest, InferenceResult> _batcher;

    /// <summary>Creates the batcher for <paramref name="modelId"/>, which the catalog must serve.</summary>
    public ModelBatcher(ModelCatalog catalog, string modelId, ModelBatcherOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        options ??= new ModelBatcherOptions();
        _catalog = catalog;
        ModelId = modelId;
        using (var lease = catalog.Acquire(modelId))
            SupportsBatching = HasDynamicBatch(lease.Session);
        _batcher = new DynamicBatcher<InferenceRequest, InferenceResult>(RunBatchAsync, new DynamicBatcherOptions
        {
            ModelId = modelId,
            MaxBatchSize = SupportsBatching ? options.MaxBatchSize : 1,
            MaxQueueDelay = options.MaxQueueDelay,
            MaxQueueLength = options.MaxQueueLength,
            MaxConcurrentBatches = options.MaxConcurrentBatches,
            TimeProvider = options.TimeProvider,
            IsolateFailures = true,
        });
    }

    /// <summary>The model served.</summary>
    public string ModelId { get; }

    /// <summary>False when the model's batch dimension is fixed (requests then run one at a time).</summary>
    public bool SupportsBatching { get; }

    /// <summary>The underlying batcher's counters.</summary>
    public BatcherStatistics Statistics => _batcher.Statistics;

    /// <inheritdoc cref="DynamicBatcher{TRequest, TResponse}.InferAsync"/>
    public Task<InferenceResult> InferAsync(InferenceRequest request, DateTimeOffset? deadline = null, int priority = 0, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _batcher.InferAsync(request, deadline, priority, request.RequestId, cancellation);
    }

    /// <summary>Runs everything already accepted, then stops.</summary>
    public ValueTask DisposeAsync() => _batcher.DisposeAsync();

    private static bool HasDynamicBatch(IInferenceSession session) =>
        session.Inputs.All(i => i.Rank > 0 && !i.Dimensions[0].IsFixed);

    private ValueTask<IReadOnlyList<InferenceResult>> RunBatchAsync(IReadOnlyList<InferenceRequest> batch, CancellationToken cancellation)
    {
        using var lease = _catalog.Acquire(ModelId);
        var session = lease.Session;
        foreach (var request in batch) Validate(session, request);
        // A swapped-in version may have a fixed batch, and stacked inputs need equal item shapes.
        if (batch.Count > 1 && (!HasDynamicBatch(session) || !ItemShapesAgree(session, batch)))
            return ValueTask.FromResult<IReadOnlyList<InferenceResult>>(batch.Select(r => RunStacked(lease, [r], cancellation)[0]).ToArray());
        return ValueTask.FromResult<IReadOnlyList<InferenceResult>>(RunStacked(lease, batch, cancellation));
    }

    private static InferenceResult[] RunStacked(ModelLease lease, IReadOnlyList<InferenceRequest> batch, CancellationToken cancellation)
    {
        var session = lease.Session;
        var counts = batch.Select(r => r.Inputs[session.Inputs[0].Name].Shape[0]).ToArray();
        var total = counts.Sum();
        var stacked = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var input in session.Inputs)
                stacked[input.Name] = batch.Count == 1 ? batch[0].Inputs[input.Name] : TensorStacking.Concatenate(batch.Select(r => r.Inputs[input.Name]).ToArray(), total);
            using var run = session.Run(stacked, cancellation: cancellation);
            var results = new InferenceResult[batch.Count];
            long offset = 0;
            for (var i = 0; i < batch.Count; i++)
            {
                var outputs = new Dictionary<string, Tensor>(StringComparer.Ordinal);
                foreach (var (name, tensor) in run)
                {
                    if (tensor.Shape.Rank == 0 || tensor.Shape[0] != total)
                        throw new InvalidOperationException(
                            $"Model {lease.Provenance} output '{name}' has shape {tensor.Shape}; its first dimension should be the batch size {total}.");
                    outputs[name] = TensorStacking.Slice(tensor, offset, counts[i]);
                }
                offset += counts[i];
                results[i] = new InferenceResult(batch[i].RequestId, lease.Provenance, lease.Card.NotForClinicalUse, outputs);
            }
            return results;
        }
        finally
        {
            // Only the stacked copies are ours; a single request's tensors belong to its caller.
            if (batch.Count > 1) foreach (var t in stacked.Values) t.Dispose();
        }
    }

    // A wrong request fails its batch; the batcher then reruns each request alone, so only it fails.
    private void Validate(IInferenceSession session, InferenceRequest request)
    {
        foreach (var name in request.Inputs.Keys)
            if (!session.Inputs.Any(i => i.Name == name))
                throw new ArgumentException($"Request '{request.RequestId}' for model '{ModelId}' gives input '{name}', which the model does not have (inputs: {string.Join(", ", session.Inputs.Select(i => i.Name))}).");
        long? count = null;
        foreach (var info in session.Inputs)
        {
            if (!request.Inputs.TryGetValue(info.Name, out var tensor))
                throw new ArgumentException($"Request '{request.RequestId}' for model '{ModelId}' lacks input '{info.Name}' ({info}).");
            if (info.Mismatch(tensor.ElementType, tensor.Shape) is { } why)
                throw new ArgumentException($"Request '{request.RequestId}' for model '{ModelId}': input '{info.Name}' {why}");
            if (tensor.Shape.Rank == 0 || (count is { } c && tensor.Shape[0] != c))
                throw new ArgumentException($"Request '{request.RequestId}' for model '{ModelId}': inputs disagree on the batch dimension.");
            count = tensor.Shape[0];
        }
    }

    private static bool ItemShapesAgree(IInferenceSession session, IReadOnlyList<InferenceRequest> batch)
    {
        foreach (var info in session.Inputs)
        {
            var first = batch[0].Inputs[info.Name].Shape;
            foreach (var r in batch)
            {
                var s = r.Inputs[info.Name].Shape;
                for (var d = 1; d < s.Rank; d++) if (s[d] != first[d]) return false;
            }
        }
        return true;
    }
}
