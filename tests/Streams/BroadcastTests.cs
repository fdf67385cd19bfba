using Vigil.Streams;

namespace Vigil.Streams.Tests;

public sealed class BroadcastTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Broadcast_TwoSinks_EachReceivesEveryElement()
    {
        using var materializer = new Materializer();
        var outs = Source.From(Enumerable.Range(0, 1000)).Broadcast(2);
        var handle = materializer.Materialize("fan", outs[0].To(Sink.ToList<int>()), outs[1].Select(x => -x).To(Sink.ToList<int>()));
        await handle.Completion.WaitAsync(Safety);
        Assert.Equal(Enumerable.Range(0, 1000), await ((Task<List<int>>)handle.Value[0]!));
        Assert.Equal(Enumerable.Range(0, 1000).Select(x => -x), await ((Task<List<int>>)handle.Value[1]!));
    }

    [Fact]
    public void Broadcast_OutputNotConnected_IsRefusedNamingStage()
    {
        using var materializer = new Materializer();
        var outs = Source.From(new[] { 1 }).Broadcast(2);
        var error = Assert.Throws<GraphValidationException>(() => outs[0].To(Sink.Ignore<int>()).Run(materializer));
        Assert.Contains("Broadcast#1", error.Message);
        Assert.Contains("1", error.Message);
    }

    [Fact]
    public async Task Broadcast_JoinedByZip_PairsElements()
    {
        using var materializer = new Materializer();
        var outs = Source.From(Enumerable.Range(0, 500)).Broadcast(2);
        var pairs = await outs[0].Select(x => x * 2).Zip(outs[1]).RunWith(Sink.ToList<(int, int)>(), materializer).WaitAsync(Safety);
        Assert.Equal(Enumerable.Range(0, 500).Select(x => (x * 2, x)), pairs);
    }
}
