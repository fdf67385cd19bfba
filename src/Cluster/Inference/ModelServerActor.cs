using Akka.Actor;
using Vigil.Cluster.Configuration;
using Vigil.Cluster.Messages;
using Vigil.Cluster.Wire;

namespace Vigil.Cluster.Inference;

/// <summary>
/// Serves one model on an <c>inference</c>/<c>gpu</c> node by pulling work: a requester that says
/// hello (<see cref="ClientHello"/>) is granted <see cref="ModelServing.Capacity"/> credits
/// (<see cref="Demand"/>), sends at most that many requests, and gets a credit back with every
/// result. A fast node returns credits sooner and so takes more; a slow node takes less; a dead node
/// takes none (its requester re-sends what it held to another server). Batching is dynamic and stays
/// here: while one batch runs, arriving requests queue, and the next batch takes all of them (highest
/// priority first, up to the capacity).
/// </summary>
internal sealed class ModelServerActor : ReceiveActor
{
    private readonly ModelServing _model;
    private readonly string _node;
    private readonly InferenceCounters _counters;
    private readonly IInferenceHandler _handler;
    private readonly List<(IActorRef Client, InferenceRequest Request)> _queue = new();
    private readonly HashSet<IActorRef> _clients = new();
    private bool _running;

    private sealed record BatchDone(List<(IActorRef Client, InferenceRequest Request)> Batch, IReadOnlyList<HandlerOutcome>? Outcomes, string? Error);

    public static string NameOf(string modelId) => "vigil-model-" + Uri.EscapeDataString(modelId);

    public static Props Props(ModelServing model, string node, InferenceCounters counters) =>
        Akka.Actor.Props.Create(() => new ModelServerActor(model, node, counters));

    public ModelServerActor(ModelServing model, string node, InferenceCounters counters)
    {
        _model = model; _node = node; _counters = counters;
        _handler = BuiltInHandlers.Create(model);
        Receive<ClientHello>(_ =>
        {
            // Requesters repeat their hello until they hear from us; credit is granted once.
            if (!_clients.Add(Sender)) return;
            Context.Watch(Sender);
            Sender.Tell(new Demand(_model.Id, _model.Version, _model.Capacity));
        });
        Receive<InferWork>(w =>
        {
            foreach (var r in w.Requests) _queue.Add((Sender, r));
            _counters.ServingStarted(w.Requests.Count);
            if (!_running) RunBatch();
        });
        Receive<BatchDone>(OnBatchDone);
        Receive<Terminated>(t =>
        {
            // A requester that died wants nothing more: drop what it queued.
            _clients.Remove(t.ActorRef);
            int dropped = _queue.RemoveAll(q => q.Client.Equals(t.ActorRef));
            _counters.ServingDone(dropped);
        });
    }

    private void RunBatch()
    {
        if (_queue.Count == 0) { _running = false; return; }
        _running = true;
        var batch = _queue.OrderByDescending(q => q.Request.Priority).Take(_model.Capacity).ToList();
        foreach (var b in batch) _queue.Remove(b);
        var now = DateTimeOffset.UtcNow;
        var live = batch.Where(b => b.Request.Deadline > now).ToList();
        var expired = batch.Where(b => b.Request.Deadline <= now).ToList();
        Reply(expired.Select(e => (e.Client, Result(e.Request, InferenceStatus.DeadlineExceeded, [], $"request {e.Request.Id} reached node {_node} after its deadline {e.Request.Deadline:O}"))));
        _counters.ServingDone(expired.Count);
        if (live.Count == 0) { RunBatch(); return; }
        var self = Self;
        _counters.BatchRun(live.Count);
        _handler.InferAsync(live.Select(b => b.Request).ToList(), CancellationToken.None).AsTask().ContinueWith(t =>
            self.Tell(t.IsCompletedSuccessfully
                ? new BatchDone(live, t.Result, null)
                : new BatchDone(live, null, t.Exception?.GetBaseException().Message ?? "cancelled")), TaskContinuationOptions.ExecuteSynchronously);
    }

    private void OnBatchDone(BatchDone done)
    {
        var replies = new List<(IActorRef, InferenceResult)>(done.Batch.Count);
        for (int i = 0; i < done.Batch.Count; i++)
        {
            var (client, request) = done.Batch[i];
            replies.Add((client, done.Outcomes is { } o
                ? o[i].Error is null ? Result(request, InferenceStatus.Ok, o[i].Outputs, "") : Result(request, InferenceStatus.Failed, [], $"{o[i].Error} (request {request.Id}, input '{request.InputIdentity}')")
                : Result(request, InferenceStatus.Failed, [], $"model {_model.Id} failed on node {_node}: {done.Error}")));
        }
        Reply(replies);
        _counters.ServingDone(done.Batch.Count);
        RunBatch();
    }

    private static void Reply(IEnumerable<(IActorRef Client, InferenceResult Result)> results)
    {
        // One message per requester per batch (a remote message costs far more than its bytes);
        // each result also returns the credit its request used.
        foreach (var perClient in results.GroupBy(r => r.Client))
            foreach (var chunk in Chunks(perClient.Select(r => r.Result), FrameCodec.SizeOf))
                perClient.Key.Tell(new InferDone(chunk));
    }

    /// <summary>Splits <paramref name="items"/> into runs of at most <see cref="InferWork.MaxBytes"/> encoded bytes (at least one item each).</summary>
    internal static IEnumerable<List<T>> Chunks<T>(IEnumerable<T> items, Func<T, int> size)
    {
        var chunk = new List<T>();
        int bytes = 0;
        foreach (var item in items)
        {
            int n = size(item);
            if (chunk.Count > 0 && (bytes + n > InferWork.MaxBytes || chunk.Count == FrameCodec.MaxItems)) { yield return chunk; chunk = new List<T>(); bytes = 0; }
            chunk.Add(item);
            bytes += n;
        }
        if (chunk.Count > 0) yield return chunk;
    }

    private InferenceResult Result(InferenceRequest r, InferenceStatus status, IReadOnlyList<WireTensor> outputs, string error) =>
        new(r.Id, status, _model.Id, _model.Version, _handler.ModelSha256, _node, r.InputIdentity, error, outputs);
}
