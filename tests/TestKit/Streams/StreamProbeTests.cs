using Vigil.Streams;
using Vigil.TestKit.Streams;

namespace Vigil.TestKit.Tests.Streams;

public sealed class StreamProbeTests
{
    [Fact]
    public void TestSink_RequestThenExpect_ReceivesInOrderAndCompletes()
    {
        using var materializer = new Materializer();
        var probe = Source.From(new[] { 1, 2, 3 }).RunWith(TestSink.Probe<int>(), materializer);
        probe.Request(2).ExpectNext(1, 2);
        // A source from an IEnumerable learns it is exhausted only when pulled, hence demand 2.
        probe.Request(2).ExpectNext(3).ExpectComplete();
    }

    [Fact]
    public void TestSink_WithoutDemand_ReceivesNothing()
    {
        using var materializer = new Materializer(new MaterializerOptions { TimeProvider = new ManualClock() });
        var probe = Source.From(new[] { 1, 2, 3 }).RunWith(TestSink.Probe<int>(), materializer);
        probe.ExpectNoMsg(TimeSpan.FromSeconds(1));
        probe.Request(1).ExpectNext(1).ExpectNoMsg(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void TestSink_ExpectNoMsgWhenSomethingArrived_Throws()
    {
        using var materializer = new Materializer(new MaterializerOptions { TimeProvider = new ManualClock() });
        var probe = Source.From(new[] { 1 }).RunWith(TestSink.Probe<int>(), materializer);
        probe.Request(1);
        Assert.Throws<InvalidOperationException>(() => probe.ExpectNoMsg(TimeSpan.Zero));
    }

    [Fact]
    public void TestSource_SendNext_FlowsToSinkProbe()
    {
        using var materializer = new Materializer();
        var source = TestSource.Probe<string>();
        var sink = source.Source.Select(s => s.ToUpperInvariant()).RunWith(TestSink.Probe<string>(), materializer);
        sink.Request(2);
        source.ExpectRequest().SendNext("a", "b");
        sink.ExpectNext("A", "B");
        source.SendComplete();
        sink.ExpectComplete();
    }

    [Fact]
    public void TestSource_SendError_SinkProbeSeesError()
    {
        using var materializer = new Materializer();
        var source = TestSource.Probe<int>();
        var sink = source.Source.RunWith(TestSink.Probe<int>(), materializer);
        sink.Request(1);
        source.SendError(new FormatException("malformed packet"));
        Assert.IsType<FormatException>(sink.ExpectError());
    }

    [Fact]
    public void TestSource_NoDemandDownstream_ElementsStayBuffered()
    {
        using var materializer = new Materializer(new MaterializerOptions { TimeProvider = new ManualClock() });
        var source = TestSource.Probe<int>();
        var sink = source.Source.RunWith(TestSink.Probe<int>(), materializer);
        source.SendNext(1, 2);
        sink.ExpectNoMsg(TimeSpan.Zero);
        Assert.Equal(0, source.Pulled);
        Assert.Equal(2, source.Buffered);
        sink.Request(1).ExpectNext(1).ExpectNoMsg(TimeSpan.Zero);
        Assert.Equal(1, source.Buffered);
    }

    [Fact]
    public void TestSink_TakeCancelsUpstream_SourceProbeSeesCancellation()
    {
        using var materializer = new Materializer();
        var source = TestSource.Probe<int>();
        var sink = source.Source.Take(1).RunWith(TestSink.Probe<int>(), materializer);
        sink.Request(5);
        source.SendNext(1);
        sink.ExpectNext(1).ExpectComplete();
        source.ExpectCancellation();
    }
}
