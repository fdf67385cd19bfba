using Vigil.Models.Batching;
using Vigil.Tests.Common;

namespace Vigil.Models.Tests.Batching;

public sealed class DynamicBatcherTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);
    private readonly ManualClock _clock = new();

    private DynamicBatcher<int, int> Create(RecordingHandler h, int maxBatch = 4, int delayMs = 10, int maxQueue = 100, string model = "m") =>
        new(h.Handler, new DynamicBatcherOptions
        {
            ModelId = model, MaxBatchSize = maxBatch, MaxQueueDelay = TimeSpan.FromMilliseconds(delayMs),
            MaxQueueLength = maxQueue, TimeProvider = _clock,
        });

    [Fact]
    public async Task InferAsync_MaxBatchSizeQueued_RunsAtOnceWithoutWaitingForTheDelay()
    {
        var h = new RecordingHandler();
        await using var b = Create(h, maxBatch: 4);
        var tasks = Enumerable.Range(1, 4).Select(i => b.InferAsync(i)).ToArray();

        var results = await Task.WhenAll(tasks).WaitAsync(Safety);

        Assert.Equal(new[] { 10, 20, 30, 40 }, results);
        Assert.Equal([1, 2, 3, 4], Assert.Single(h.Batches));
    }

    [Fact]
    public async Task InferAsync_PartialBatch_RunsWhenTheOldestHasWaitedMaxQueueDelay()
    {
        var h = new RecordingHandler();
        await using var b = Create(h, maxBatch: 4, delayMs: 10);
        var first = b.InferAsync(1);
        _clock.Advance(TimeSpan.FromMilliseconds(4));
        var second = b.InferAsync(2);
        _clock.Advance(TimeSpan.FromMilliseconds(5));
        Assert.Equal(0, b.Statistics.Batches);   // 9 ms: not yet

        _clock.Advance(TimeSpan.FromMilliseconds(1));   // 10 ms after the first arrival

        Assert.Equal(new[] { 10, 20 }, await Task.WhenAll(first, second).WaitAsync(Safety));
        Assert.Equal([1, 2], Assert.Single(h.Batches));
    }

    [Fact]
    public async Task InferAsync_ManyRequestsWhileBusy_EachCallerGetsItsOwnResponseInOrder()
    {
        var h = new RecordingHandler(holdBatches: true);
        await using var b = Create(h, maxBatch: 3);
        var tasks = Enumerable.Range(1, 7).Select(i => b.InferAsync(i)).ToArray();
        await h.WaitForBatchesAsync();
        h.Release();
        _clock.Advance(TimeSpan.FromMilliseconds(10));   // the last partial batch

        Assert.Equal(Enumerable.Range(1, 7).Select(i => i * 10), await Task.WhenAll(tasks).WaitAsync(Safety));
        Assert.Equal([[1, 2, 3], [4, 5, 6], [7]], h.Batches.ToArray());
    }

    [Fact]
    public async Task InferAsync_DeadlinePassesWhileQueued_FailsAtOnceNamingRequestAndDeadlineAndIsNeverRun()
    {
        var h = new RecordingHandler(holdBatches: true);
        await using var b = Create(h, maxBatch: 1, model: "cnn");
        var busy = b.InferAsync(1);
        await h.WaitForBatchesAsync();
        var deadline = _clock.GetUtcNow().AddMilliseconds(50);
        var late = b.InferAsync(2, deadline, requestId: "patient-7/frame-12");

        _clock.Advance(TimeSpan.FromMilliseconds(50));

        var e = await Assert.ThrowsAsync<DeadlineExceededException>(() => late.WaitAsync(Safety));
        Assert.Contains("patient-7/frame-12", e.Message);
        Assert.Contains("'cnn'", e.Message);
        Assert.Contains(deadline.ToString("yyyy-MM-ddTHH:mm:ss.fff"), e.Message);
        Assert.Equal(deadline, e.Deadline);
        h.Release();
        Assert.Equal(10, await busy.WaitAsync(Safety));
        Assert.DoesNotContain(h.Batches, batch => batch.Contains(2));
        Assert.Equal(1, b.Statistics.Expired);
    }

    [Fact]
    public async Task InferAsync_DeadlineAlreadyPast_FailsImmediately()
    {
        var h = new RecordingHandler();
        await using var b = Create(h);
        var task = b.InferAsync(1, _clock.GetUtcNow(), requestId: "r1");
        Assert.True(task.IsFaulted);
        Assert.IsType<DeadlineExceededException>(task.Exception!.InnerException);
        Assert.Empty(h.Batches);
    }

    [Fact]
    public async Task InferAsync_DeadlineNotReached_CompletesAndReleasesItsTimer()
    {
        var h = new RecordingHandler();
        await using var b = Create(h, maxBatch: 2);
        var a = b.InferAsync(1, _clock.GetUtcNow().AddSeconds(1));
        var c = b.InferAsync(2, _clock.GetUtcNow().AddSeconds(1));
        Assert.Equal(new[] { 10, 20 }, await Task.WhenAll(a, c).WaitAsync(Safety));
        Assert.Equal(0, _clock.ActiveTimerCount);   // deadline timers released, delay timer idle
    }

    [Fact]
    public async Task InferAsync_HigherPriority_IsTakenFirst()
    {
        var h = new RecordingHandler(holdBatches: true);
        await using var b = Create(h, maxBatch: 2);
        var tasks = new List<Task<int>> { b.InferAsync(1), b.InferAsync(2) };   // runs now, held
        await h.WaitForBatchesAsync();
        tasks.Add(b.InferAsync(3));
        tasks.Add(b.InferAsync(4));
        tasks.Add(b.InferAsync(5, priority: 5));
        h.Release();
        await h.WaitForBatchesAsync();
        _clock.Advance(TimeSpan.FromMilliseconds(10));
        await Task.WhenAll(tasks).WaitAsync(Safety);

        Assert.Equal([[1, 2], [5, 3], [4]], h.Batches.ToArray());
    }

    [Fact]
    public async Task InferAsync_QueueFull_RefusesTheNewRequestNamingTheModel()
    {
        var h = new RecordingHandler(holdBatches: true);
        await using var b = Create(h, maxBatch: 1, maxQueue: 2, model: "pfld");
        var running = b.InferAsync(1);
        await h.WaitForBatchesAsync();
        var queued = new[] { b.InferAsync(2), b.InferAsync(3) };

        var refused = b.InferAsync(4, requestId: "r4");

        var e = await Assert.ThrowsAsync<BatcherQueueFullException>(() => refused);
        Assert.Contains("'pfld'", e.Message);
        Assert.Contains("'r4'", e.Message);
        h.Release();
        Assert.Equal(new[] { 10, 20, 30 }, await Task.WhenAll(queued.Prepend(running)).WaitAsync(Safety));
    }

    [Fact]
    public async Task InferAsync_OneBadInputInABatch_OnlyThatRequestFails()
    {
        var h = new RecordingHandler();
        h.Poison.Add(3);
        await using var b = Create(h, maxBatch: 4, model: "cnn");
        var tasks = Enumerable.Range(1, 4).Select(i => b.InferAsync(i, requestId: "r" + i)).ToArray();

        await Task.WhenAny(Task.WhenAll(tasks), Task.Delay(Safety));

        Assert.Equal(10, await tasks[0]);
        Assert.Equal(20, await tasks[1]);
        Assert.Equal(40, await tasks[3]);
        var e = await Assert.ThrowsAsync<BatchFailedException>(() => tasks[2]);
        Assert.Contains("'r3'", e.Message);
        Assert.Contains("poisoned input", e.Message);
        Assert.Equal(1, e.BatchSize);
    }

    [Fact]
    public async Task InferAsync_HandlerReturnsWrongCount_FailsWithAClearError()
    {
        BatchHandler<int, int> broken = (batch, _) => ValueTask.FromResult<IReadOnlyList<int>>([1]);
        await using var b = new DynamicBatcher<int, int>(broken, new DynamicBatcherOptions
        { ModelId = "x", MaxBatchSize = 2, TimeProvider = _clock, IsolateFailures = false });
        var tasks = new[] { b.InferAsync(1), b.InferAsync(2) };
        var e = await Assert.ThrowsAsync<BatchFailedException>(() => tasks[1].WaitAsync(Safety));
        Assert.Contains("returned 1 responses for 2 requests", e.Message);
    }

    [Fact]
    public async Task InferAsync_MaxBatchSizeOne_RunsOneRequestAtATime()
    {
        var h = new RecordingHandler();
        await using var b = Create(h, maxBatch: 1);
        var tasks = Enumerable.Range(1, 20).Select(i => b.InferAsync(i)).ToArray();
        await Task.WhenAll(tasks).WaitAsync(Safety);
        Assert.All(h.Batches, batch => Assert.Single(batch));
        Assert.Equal(1, h.MaxConcurrent);
        Assert.Equal(20, b.Statistics.BatchSizeCounts[1]);
    }

    [Fact]
    public async Task InferAsync_CancelledWhileQueued_IsCancelledAndNeverRun()
    {
        var h = new RecordingHandler(holdBatches: true);
        await using var b = Create(h, maxBatch: 1);
        var running = b.InferAsync(1);
        await h.WaitForBatchesAsync();
        using var cts = new CancellationTokenSource();
        var withdrawn = b.InferAsync(2, cancellation: cts.Token);

        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => withdrawn.WaitAsync(Safety));
        h.Release();
        await running.WaitAsync(Safety);
        Assert.DoesNotContain(h.Batches, batch => batch.Contains(2));
        Assert.Equal(1, b.Statistics.Cancelled);
    }

    [Fact]
    public async Task DisposeAsync_WithQueuedRequests_RunsThemAllBeforeReturning()
    {
        var h = new RecordingHandler();
        var b = Create(h, maxBatch: 8, delayMs: 1000);
        var tasks = Enumerable.Range(1, 3).Select(i => b.InferAsync(i)).ToArray();

        await b.DisposeAsync().AsTask().WaitAsync(Safety);

        Assert.True(tasks.All(t => t.IsCompletedSuccessfully));
        Assert.Equal([10, 20, 30], tasks.Select(t => t.Result));
        Assert.Throws<ObjectDisposedException>(() => { _ = b.InferAsync(4); });
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsNamingTheSetting()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            new DynamicBatcher<int, int>(new RecordingHandler().Handler, new DynamicBatcherOptions { MaxBatchSize = 0 }));
        Assert.Contains("MaxBatchSize", e.Message);
    }
}
