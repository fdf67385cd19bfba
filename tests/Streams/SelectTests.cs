using Vigil.Streams;

namespace Vigil.Streams.Tests;

public sealed class SelectTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Select_ChainOfStages_TransformsEveryElementInOrder()
    {
        using var materializer = new Materializer();
        var result = await Source.From(Enumerable.Range(1, 1000))
            .Select(x => x * 2)
            .Select(x => x + 1)
            .RunWith(Sink.ToList<int>(), materializer)
            .WaitAsync(Safety);
        Assert.Equal(Enumerable.Range(1, 1000).Select(x => x * 2 + 1), result);
    }

    [Fact]
    public async Task Select_ThrowingSelectorWithStop_FailsGraphNamingStage()
    {
        using var materializer = new Materializer();
        var handle = Source.From(new[] { 1, 2, 3 })
            .Select(x => x == 2 ? throw new InvalidOperationException("bad reading") : x).Named("parse")
            .To(Sink.Ignore<int>())
            .Run(materializer);
        var error = await Assert.ThrowsAsync<StageFailedException>(() => handle.Value.WaitAsync(Safety));
        Assert.Equal("parse", error.Stage);
        Assert.IsType<InvalidOperationException>(error.InnerException);
        await Assert.ThrowsAsync<StageFailedException>(() => handle.Completion.WaitAsync(Safety));
    }

    [Fact]
    public async Task Select_Metrics_CountElementsInAndOut()
    {
        using var materializer = new Materializer();
        var handle = Source.From(Enumerable.Range(0, 100)).Select(x => x).Named("copy").To(Sink.Ignore<int>()).Run(materializer);
        await handle.Completion.WaitAsync(Safety);
        var copy = Assert.Single(handle.Metrics, m => m.Stage == "copy");
        Assert.Equal(100, copy.ElementsIn);
        Assert.Equal(100, copy.ElementsOut);
        Assert.Equal("Select", copy.Kind);
    }

    [Fact]
    public async Task Flow_ReusedTwice_MaterializesIndependentCopies()
    {
        using var materializer = new Materializer();
        var flow = Flow.Create<int>().Select(x => x * 10).Where(x => x > 10);
        var a = await Source.From(new[] { 1, 2, 3 }).Via(flow).RunWith(Sink.ToList<int>(), materializer).WaitAsync(Safety);
        var b = await Source.From(new[] { 4 }).Via(flow).RunWith(Sink.ToList<int>(), materializer).WaitAsync(Safety);
        Assert.Equal(new[] { 20, 30 }, a);
        Assert.Equal(new[] { 40 }, b);
    }
}
