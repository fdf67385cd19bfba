using Vigil.Streams;

namespace Vigil.Streams.Tests;

public sealed class BalanceTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Balance_ToParallelWorkers_EveryElementProcessedOnce()
    {
        using var materializer = new Materializer();
        var workers = Source.From(Enumerable.Range(0, 1000)).Balance(3);
        var merged = await workers[0].Select(x => x).Merge(workers[1].Select(x => x), workers[2].Select(x => x))
            .RunWith(Sink.ToList<int>(), materializer).WaitAsync(Safety);
        Assert.Equal(Enumerable.Range(0, 1000), merged.Order());
    }

    [Fact]
    public async Task Balance_OneWorkerBlocked_OthersTakeTheWork()
    {
        using var materializer = new Materializer();
        var blocked = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var workers = Source.From(Enumerable.Range(0, 500)).Balance(2);
        var handle = materializer.Materialize(null,
            workers[0].SelectAsync(1, _ => blocked.Task).To(Sink.ToList<int>()),
            workers[1].To(Sink.ToList<int>()));
        await handle.WhenIdleAsync().WaitAsync(Safety);
        var freeCount = handle.Metrics.Single(m => m.Kind == "ToList" && m.ElementsIn > 0).ElementsIn;
        // The blocked worker holds at most its buffer plus one in flight; the rest went to the free one.
        Assert.True(freeCount >= 500 - materializer.Options.DefaultBufferSize - 1, $"free worker got {freeCount}");
        blocked.SetResult(0);
        await handle.Completion.WaitAsync(Safety);
    }
}
