using Vigil.Streams;
using Vigil.TestKit.Streams;

namespace Vigil.Streams.Tests;

public sealed class RecoverTests
{
    [Fact]
    public void Recover_UpstreamFails_EmitsFallbackAndCompletes()
    {
        using var materializer = new Materializer();
        var source = TestSource.Probe<string>();
        var sink = source.Source.Recover(e => $"recovered: {e.Message}").RunWith(TestSink.Probe<string>(), materializer);
        sink.Request(5);
        source.SendNext("a");
        source.SendError(new IOException("sensor lost"));
        sink.ExpectNext("a", "recovered: sensor lost").ExpectComplete();
    }

    [Fact]
    public void Recover_AcrossAsyncBoundary_StillRecovers()
    {
        using var materializer = new Materializer();
        var sink = Source.From(new[] { "1", "x" }).Select(s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).Async()
            .Recover(_ => -1).RunWith(TestSink.Probe<int>(), materializer);
        sink.Request(5).ExpectNext(1, -1).ExpectComplete();
    }

    [Fact]
    public void Recover_PredicateRejects_FailurePassesThrough()
    {
        using var materializer = new Materializer();
        var source = TestSource.Probe<int>();
        var sink = source.Source.Recover(_ => 0, when: e => e is TimeoutException).RunWith(TestSink.Probe<int>(), materializer);
        sink.Request(1);
        source.SendError(new FormatException("bad"));
        Assert.IsType<FormatException>(sink.ExpectError());
    }
}
