using Vigil.Streams;
using Vigil.TestKit.Streams;

namespace Vigil.Streams.Tests;

public sealed class KillSwitchTests
{
    [Fact]
    public void KillSwitch_Shutdown_CompletesDownstreamAndCancelsUpstream()
    {
        using var materializer = new Materializer();
        var killSwitch = new SharedKillSwitch("ingest-stop");
        var source = TestSource.Probe<int>();
        var sink = source.Source.Via(killSwitch.Flow<int>()).RunWith(TestSink.Probe<int>(), materializer);
        sink.Request(10);
        source.SendNext(1);
        sink.ExpectNext(1);
        killSwitch.Shutdown();
        sink.ExpectComplete();
        source.ExpectCancellation();
    }

    [Fact]
    public void KillSwitch_Abort_FailsDownstreamWithError()
    {
        using var materializer = new Materializer();
        var killSwitch = new SharedKillSwitch();
        var source = TestSource.Probe<int>();
        var sink = source.Source.Via(killSwitch.Flow<int>()).RunWith(TestSink.Probe<int>(), materializer);
        sink.Request(1);
        killSwitch.Abort(new InvalidOperationException("node leaving"));
        Assert.IsType<InvalidOperationException>(Assert.IsType<StageFailedException>(sink.ExpectError()).InnerException);
    }
}
