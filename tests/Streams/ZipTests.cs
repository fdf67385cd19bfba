using Vigil.Streams;

namespace Vigil.Streams.Tests;

public sealed class ZipTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Zip_UnequalLengths_CompletesWithShorter()
    {
        using var materializer = new Materializer();
        var pairs = await Source.From(new[] { 1, 2, 3 }).Zip(Source.From(new[] { "a", "b" }))
            .RunWith(Sink.ToList<(int, string)>(), materializer).WaitAsync(Safety);
        Assert.Equal(new[] { (1, "a"), (2, "b") }, pairs);
    }

    [Fact]
    public void Zip_FedByBranchThatFilters_IsRefusedNamingStages()
    {
        using var materializer = new Materializer();
        var outs = Source.From(Enumerable.Range(0, 10)).Broadcast(2);
        var graph = outs[0].Where(x => x % 2 == 0).Named("evens").Zip(outs[1]).To(Sink.Ignore<(int, int)>());
        var error = Assert.Throws<GraphValidationException>(() => graph.Run(materializer));
        Assert.Contains("evens", error.Stages);
        Assert.Contains("Zip#1", error.Stages);
        Assert.Contains("Broadcast#1", error.Stages);
        Assert.Contains("evens", error.Message);
    }

    [Fact]
    public void Zip_OfTwoPartitionOutputs_IsRefused()
    {
        using var materializer = new Materializer();
        var outs = Source.From(Enumerable.Range(0, 10)).Partition(2, x => x % 2);
        var error = Assert.Throws<GraphValidationException>(() => outs[0].Zip(outs[1]).To(Sink.Ignore<(int, int)>()).Run(materializer));
        Assert.Contains("Partition#1", error.Message);
    }
}
