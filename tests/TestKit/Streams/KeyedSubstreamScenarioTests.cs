using Vigil.Streams;
using Vigil.TestKit.Streams;

namespace Vigil.TestKit.Tests.Streams;

public sealed class KeyedSubstreamScenarioTests
{
    private sealed record Beat(string Patient, int Bpm);

    [Fact]
    public void GroupBy_PerPatientWindows_EachPatientBatchedSeparately()
    {
        var clock = new ManualClock();
        using var materializer = new Materializer(new MaterializerOptions { TimeProvider = clock });
        var source = TestSource.Probe<Beat>();
        var sink = source.Source
            .GroupBy(b => b.Patient, patient => Flow.Create<Beat>().GroupedWithin(2, TimeSpan.FromSeconds(30))
                .Select(g => $"{patient}:{string.Join("+", g.Select(b => b.Bpm))}"), maxKeys: 100)
            .RunWith(TestSink.Probe<string>(), materializer);
        sink.Request(10);
        source.SendNext(new Beat("ann", 60), new Beat("bob", 90), new Beat("ann", 62));
        sink.ExpectNext("ann:60+62").ExpectNoMsg(TimeSpan.FromSeconds(10));
        clock.Advance(TimeSpan.FromSeconds(20));
        sink.ExpectNext("bob:90");
        source.SendComplete();
        sink.ExpectComplete();
    }

    [Fact]
    public void GroupBy_IdleExpiry_StartsFreshSubstreamForReturningKey()
    {
        var clock = new ManualClock();
        using var materializer = new Materializer(new MaterializerOptions { TimeProvider = clock });
        var source = TestSource.Probe<Beat>();
        var sink = source.Source
            .GroupBy(b => b.Patient, patient => Flow.Create<Beat>().Scan(0, (n, _) => n + 1).Select(n => $"{patient}#{n}"),
                maxKeys: 100, idleTimeout: TimeSpan.FromMinutes(1))
            .RunWith(TestSink.Probe<string>(), materializer);
        sink.Request(10);
        source.SendNext(new Beat("ann", 60), new Beat("ann", 61));
        sink.ExpectNext("ann#1", "ann#2");
        sink.ExpectNoMsg(TimeSpan.FromMinutes(3)); // expires ann's substream
        source.SendNext(new Beat("ann", 62));
        sink.ExpectNext("ann#1"); // a fresh substream: per-key state was reset
    }
}
