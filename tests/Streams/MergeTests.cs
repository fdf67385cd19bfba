using Vigil.Streams;

namespace Vigil.Streams.Tests;

public sealed class MergeTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Merge_ThreeInputs_EmitsAllElements()
    {
        using var materializer = new Materializer();
        var merged = await Source.From(Enumerable.Range(0, 100))
            .Merge(Source.From(Enumerable.Range(100, 100)).Async(), Source.From(Enumerable.Range(200, 100)))
            .RunWith(Sink.ToList<int>(), materializer).WaitAsync(Safety);
        Assert.Equal(Enumerable.Range(0, 300), merged.Order());
    }

    [Fact]
    public async Task Merge_EagerComplete_CompletesWhenFirstInputCompletes()
    {
        using var materializer = new Materializer();
        var never = Source.Queue<int>(1);
        var merged = await Source.From(new[] { 1, 2 }).Merge(true, never.Source)
            .RunWith(Sink.ToList<int>(), materializer).WaitAsync(Safety);
        Assert.Equal(new[] { 1, 2 }, merged);
    }
}
