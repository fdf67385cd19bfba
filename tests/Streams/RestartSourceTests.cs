using Vigil.Streams;
using Vigil.TestKit;
using Vigil.TestKit.Streams;

namespace Vigil.Streams.Tests;

public sealed class RestartSourceTests
{
    [Fact]
    public void RestartSource_FailingConnection_ReconnectsAfterExponentialBackoff()
    {
        var clock = new ManualClock();
        using var materializer = new Materializer(new MaterializerOptions { TimeProvider = clock });
        var connections = 0;
        var settings = new RestartSettings(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        var source = RestartSource.OnFailuresWithBackoff(settings, () =>
        {
            var n = Interlocked.Increment(ref connections);
            return n < 3 ? Source.Failed<string>(new IOException($"connect {n} refused")) : Source.From(new[] { "reading" });
        });
        var sink = source.RunWith(TestSink.Probe<string>(), materializer);
        sink.Request(5).ExpectNoMsg(TimeSpan.FromMilliseconds(999));
        Assert.Equal(1, connections);
        sink.ExpectNoMsg(TimeSpan.FromMilliseconds(1));   // 1 s: second attempt, fails again
        Assert.Equal(2, connections);
        sink.ExpectNoMsg(TimeSpan.FromMilliseconds(1999)); // backoff doubled to 2 s
        Assert.Equal(2, connections);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        sink.ExpectNext("reading").ExpectComplete();
        Assert.Equal(3, connections);
    }

    [Fact]
    public void RestartSource_MaxRestartsExceeded_FailsWithLastError()
    {
        var clock = new ManualClock();
        using var materializer = new Materializer(new MaterializerOptions { TimeProvider = clock });
        var settings = new RestartSettings(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), MaxRestarts: 1);
        var sink = RestartSource.OnFailuresWithBackoff(settings, () => Source.Failed<int>(new IOException("down")))
            .RunWith(TestSink.Probe<int>(), materializer);
        sink.Request(1).ExpectNoMsg(TimeSpan.FromMilliseconds(999)); // first restart pending
        clock.Advance(TimeSpan.FromMilliseconds(1));                  // second attempt fails: no restarts left
        Assert.IsType<IOException>(Assert.IsType<StageFailedException>(sink.ExpectError()).InnerException);
    }

    [Fact]
    public void RestartSettings_Backoff_DoublesUpToMax()
    {
        var settings = new RestartSettings(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));
        Assert.Equal(new[] { 1.0, 2, 4, 5, 5 }, Enumerable.Range(1, 5).Select(n => settings.BackoffFor(n).TotalSeconds));
    }
}
