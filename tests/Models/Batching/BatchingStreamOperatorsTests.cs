using Vigil.Models.Batching;
using Vigil.Models.Catalog;
using Vigil.Models.OnnxBuilder;
using Vigil.Models.Tensors;
using Vigil.Models.Tests.Catalog;
using Akka.Streams;
using Akka.Streams.Dsl;
using Vigil.Tests.Common;

namespace Vigil.Models.Tests.Batching;

public sealed class BatchingStreamOperatorsTests() : Akka.TestKit.Xunit2.TestKit(AkkaTestConfig.Quiet)
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task SelectBatched_TwelveElements_AreBatchedAndEmittedInUpstreamOrder()
    {
        var h = new RecordingHandler();
        await using var batcher = new DynamicBatcher<int, int>(h.Handler, new DynamicBatcherOptions
        { ModelId = "m", MaxBatchSize = 4, MaxQueueDelay = TimeSpan.FromHours(1), TimeProvider = new ManualClock() });
        var materializer = Sys.Materializer();

        var outcomes = await Source.From(Enumerable.Range(1, 12))
            .SelectBatched(batcher, parallelism: 4, toRequest: i => i)
            .RunWith(Sink.Seq<BatchedOutcome<int, int>>(), materializer).WaitAsync(Safety);

        Assert.Equal(Enumerable.Range(1, 12), outcomes.Select(o => o.Element));
        Assert.Equal(Enumerable.Range(1, 12).Select(i => i * 10), outcomes.Select(o => o.Response));
        Assert.All(h.Batches, b => Assert.Equal(4, b.Length));   // never waited for the (1 h) delay: every batch filled
    }

    [Fact]
    public async Task SelectBatched_OneElementFails_TheStreamContinuesAndCarriesTheError()
    {
        var h = new RecordingHandler();
        h.Poison.Add(5);
        await using var batcher = new DynamicBatcher<int, int>(h.Handler, new DynamicBatcherOptions
        { ModelId = "m", MaxBatchSize = 2, MaxQueueDelay = TimeSpan.Zero, TimeProvider = new ManualClock() });
        var materializer = Sys.Materializer();

        var outcomes = await Source.From(Enumerable.Range(1, 8))
            .SelectBatched(batcher, parallelism: 2, toRequest: i => i, requestId: i => $"patient-{i}")
            .RunWith(Sink.Seq<BatchedOutcome<int, int>>(), materializer).WaitAsync(Safety);

        Assert.Equal(8, outcomes.Count);
        var failed = Assert.Single(outcomes, o => !o.Succeeded);
        Assert.Equal(5, failed.Element);
        Assert.Contains("patient-5", failed.Error!.Message);
        Assert.All(outcomes.Where(o => o.Succeeded), o => Assert.Equal(o.Element * 10, o.Response));
    }

    [Fact]
    public async Task SelectBatched_OnnxModel_ResultsCarryProvenanceInOrder()
    {
        using var folder = new TempCardFolder();
        using var catalog = new ModelCatalog();
        var loaded = catalog.Load(folder.Write("cnn", TempCardFolder.SmallCnnCard(), new SmallCnn().ToOnnx()));
        await using var batcher = new ModelBatcher(catalog, "small-cnn", new() { MaxBatchSize = 3, MaxQueueDelay = TimeSpan.Zero });
        var materializer = Sys.Materializer();
        var images = Enumerable.Range(0, 6).Select(i => new DeterministicWeights((ulong)i).Array(3 * 32 * 32, 1f)).ToArray();

        var outcomes = await Source.From(Enumerable.Range(0, 6))
            .SelectBatched(batcher, 3, i => InferenceRequest.Single($"frame-{i}", "image", DenseTensor<float>.Wrap(images[i], 1, 3, 32, 32)))
            .RunWith(Sink.Seq<BatchedOutcome<int, InferenceResult>>(), materializer).WaitAsync(Safety);

        Assert.Equal(Enumerable.Range(0, 6), outcomes.Select(o => o.Element));
        Assert.All(outcomes, o =>
        {
            Assert.True(o.Succeeded, o.Error?.Message);
            Assert.Equal($"frame-{o.Element}", o.Response!.RequestId);
            Assert.Equal(loaded.Provenance, o.Response.Provenance);
            o.Response.Dispose();
        });
    }
}
