using Vigil.Streams;

namespace Vigil.Streams.Tests;

public sealed class WhereTests
{
    [Fact]
    public async Task Where_Predicate_PassesOnlyMatchingElements()
    {
        using var materializer = new Materializer();
        var result = await Source.From(Enumerable.Range(1, 10)).Where(x => x % 3 == 0)
            .RunWith(Sink.ToList<int>(), materializer).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(new[] { 3, 6, 9 }, result);
    }
}
