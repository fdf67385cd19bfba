using Vigil.Streams;

namespace Vigil.Streams.Tests;

public sealed class ScanTests
{
    [Fact]
    public async Task Scan_Elements_EmitsRunningTotal()
    {
        using var materializer = new Materializer();
        var totals = await Source.From(new[] { 1, 2, 3, 4 }).Scan(0, (a, x) => a + x)
            .RunWith(Sink.ToList<int>(), materializer).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(new[] { 1, 3, 6, 10 }, totals);
    }
}
