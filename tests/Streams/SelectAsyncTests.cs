using Vigil.Streams;

namespace Vigil.Streams.Tests;

public sealed class SelectAsyncTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task SelectAsync_CallsCompleteOutOfOrder_EmitsInUpstreamOrder()
    {
        using var materializer = new Materializer();
        var gates = Enumerable.Range(0, 4).Select(_ => new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var started = new SemaphoreSlim(0);
        var result = Source.From(Enumerable.Range(0, 4))
            .SelectAsync(4, i => { started.Release(); return gates[i].Task; })
            .RunWith(Sink.ToList<int>(), materializer);
        for (var i = 0; i < 4; i++) Assert.True(await started.WaitAsync(Safety));
        foreach (var i in new[] { 3, 1, 2, 0 }) gates[i].SetResult(i * 10);
        Assert.Equal(new[] { 0, 10, 20, 30 }, await result.WaitAsync(Safety));
    }

    [Fact]
    public async Task SelectAsync_Parallelism_BoundsCallsInFlight()
    {
        using var materializer = new Materializer();
        var inFlight = 0;
        var maxInFlight = 0;
        var result = await Source.From(Enumerable.Range(0, 200))
            .SelectAsync(3, async i =>
            {
                var now = Interlocked.Increment(ref inFlight);
                InterlockedMax(ref maxInFlight, now);
                await Task.Yield();
                Interlocked.Decrement(ref inFlight);
                return i;
            })
            .RunWith(Sink.ToList<int>(), materializer).WaitAsync(Safety);
        Assert.Equal(Enumerable.Range(0, 200), result);
        Assert.InRange(maxInFlight, 1, 3);
    }

    [Fact]
    public async Task SelectAsyncUnordered_CallsCompleteOutOfOrder_EmitsInCompletionOrder()
    {
        using var materializer = new Materializer();
        var gates = Enumerable.Range(0, 3).Select(_ => new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var received = new List<int>();
        var got = new SemaphoreSlim(0);
        var done = Source.From(Enumerable.Range(0, 3))
            .SelectAsyncUnordered(3, i => gates[i].Task)
            .RunWith(Sink.ForEach<int>(x => { lock (received) received.Add(x); got.Release(); }), materializer);
        gates[2].SetResult(2);
        Assert.True(await got.WaitAsync(Safety));
        gates[0].SetResult(0);
        Assert.True(await got.WaitAsync(Safety));
        gates[1].SetResult(1);
        await done.WaitAsync(Safety);
        Assert.Equal(new[] { 2, 0, 1 }, received);
    }

    [Fact]
    public async Task SelectAsync_FaultedCallWithResume_DeadLettersAndContinues()
    {
        using var materializer = new Materializer();
        var handle = Source.From(Enumerable.Range(0, 5))
            .SelectAsync(2, i => i == 3 ? Task.FromException<int>(new TimeoutException("model timeout")) : Task.FromResult(i))
            .Named("infer").WithSupervision(Supervision.Resume)
            .To(Sink.ToList<int>()).Run(materializer);
        Assert.Equal(new[] { 0, 1, 2, 4 }, await handle.Value.WaitAsync(Safety));
        var letter = Assert.Single(handle.DeadLetters);
        Assert.Equal("infer", letter.Stage);
        Assert.Equal(3, letter.Element);
        Assert.IsType<TimeoutException>(letter.Error);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current) { }
    }
}
