using Vigil.Streams;

namespace Vigil.Streams.Tests;

public sealed class FeedbackLoopTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);

    [Fact]
    public void FeedbackLoop_CycleWithoutBuffer_IsRefusedNamingCycle()
    {
        using var materializer = new Materializer();
        var loop = new FeedbackLoop<int>();
        var outs = Source.From(new[] { 1, 2, 3 }).Merge(loop.Source).Select(x => x + 1).Named("step").Broadcast(2);
        var error = Assert.Throws<GraphValidationException>(() => materializer.Materialize("cycle",
            outs[0].Where(x => x < 10).To(loop.Sink),
            outs[1].To(Sink.Ignore<int>())));
        Assert.Contains("step", error.Stages);
        Assert.Contains("Feedback#1", error.Stages);
        Assert.Contains("Cycle without a buffer", error.Message);
    }

    [Fact]
    public async Task FeedbackLoop_CycleWithBuffer_RunsUntilElementsLeaveTheLoop()
    {
        using var materializer = new Materializer();
        var loop = new FeedbackLoop<int>();
        var outs = Source.From(new[] { 1, 5 }).Merge(loop.Source).Select(x => x + 1).Buffer(16, OverflowStrategy.Backpressure).Broadcast(2);
        var results = new List<int>();
        var handle = materializer.Materialize("retry",
            outs[0].Where(x => x < 8).To(loop.Sink),
            outs[1].Where(x => x >= 8).Take(2).To(Sink.ForEach<int>(x => { lock (results) results.Add(x); })));
        await ((Task)handle.Value[1]!).WaitAsync(Safety);
        lock (results) Assert.Equal(new[] { 8, 8 }, results);
        handle.Cancel();
    }
}
