using Vigil.Streams;

namespace Vigil.Streams.Tests;

public sealed class PartitionTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Partition_BySelector_RoutesEachElementToOneOutput()
    {
        using var materializer = new Materializer();
        var outs = Source.From(Enumerable.Range(0, 100)).Partition(3, x => x % 3);
        var handle = materializer.Materialize(null, outs.Select(o => (IRunnableGraph)o.To(Sink.ToList<int>())).ToArray());
        await handle.Completion.WaitAsync(Safety);
        for (var i = 0; i < 3; i++)
            Assert.Equal(Enumerable.Range(0, 100).Where(x => x % 3 == i), await (Task<List<int>>)handle.Value[i]!);
    }
}
