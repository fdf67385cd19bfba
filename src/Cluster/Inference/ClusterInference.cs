using Akka.Actor;
using Vigil.Cluster.Configuration;
using Vigil.Cluster.Wire;

namespace Vigil.Cluster.Inference;

/// <summary>
/// Remote inference from any node: <see cref="InferAsync"/> sends a request to a model server
/// that pulled work (see <see cref="InferenceClientActor"/>) and completes with its one result. At
/// most <see cref="InferenceSettings.MaxInFlight"/> requests are admitted at once; beyond that
/// <see cref="InferAsync"/> waits (backpressure toward the caller, e.g. an Akka.Streams
/// <c>SelectAsync</c>). Results never throw: failures are results with a status and a reason.
/// </summary>
public sealed class ClusterInference
{
    private readonly IActorRef _client;
    private readonly SemaphoreSlim _admission;
    private readonly InferenceSettings _settings;

    internal ClusterInference(IActorRef client, InferenceSettings settings)
    {
        _client = client; _settings = settings; _admission = new SemaphoreSlim(settings.MaxInFlight);
    }

    /// <summary>A request for <paramref name="model"/> with a fresh id and the default deadline.</summary>
    public InferenceRequest CreateRequest(string model, string version, IReadOnlyList<WireTensor> inputs, string inputIdentity = "", byte priority = 0) =>
        new(Guid.NewGuid(), model, version, inputs, DateTimeOffset.UtcNow + _settings.RequestTimeout, priority, inputIdentity);

    /// <summary>Sends <paramref name="request"/> and returns its one result.</summary>
    public async Task<InferenceResult> InferAsync(InferenceRequest request, CancellationToken ct = default)
    {
        await _admission.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var done = new TaskCompletionSource<InferenceResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            _client.Tell(new InferenceClientActor.Submit(request, done));
            return await done.Task.ConfigureAwait(false);
        }
        finally { _admission.Release(); }
    }

    /// <summary>Results that arrived a second time for the same request id and were dropped.</summary>
    public Task<long> DuplicatesDroppedAsync() => _client.Ask<long>(InferenceClientActor.GetDuplicates.Instance, TimeSpan.FromSeconds(5));
}
