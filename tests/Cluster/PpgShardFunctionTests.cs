using Vigil.Cluster.Sharding;
using Vigil.Ppg;

namespace Vigil.Cluster.Tests;

public sealed class PpgShardFunctionTests
{
    private const double Rate = 64, Bpm = 90;

    /// <summary>Two seconds of a clean 90 BPM pulse at 64 Hz, still wrist (gravity on z).</summary>
    private static byte[] Window(int index)
    {
        int n = (int)(2 * Rate);
        var t = new double[n];
        var ppg = new float[n];
        for (int i = 0; i < n; i++)
        {
            t[i] = index * 2 + i / Rate;
            ppg[i] = (float)Math.Sin(2 * Math.PI * Bpm / 60 * t[i]);
        }
        return PpgShardFunction.Encode(new PpgSampleBatch("p", t, [ppg], new float[n], new float[n], Enumerable.Repeat(1f, n).ToArray()));
    }

    [Fact]
    public void Snapshot_RestoredOnAnotherNode_ContinuesTrackingFromReplayedWindows()
    {
        var original = new PpgShardFunction("p", null, replayWindows: 6);
        for (int i = 0; i < 12; i++) original.Process(i, Window(i));
        var moved = new PpgShardFunction("p", original.Snapshot(), replayWindows: 6);
        for (int i = 12; i < 20; i++)
        {
            var a = PpgShardFunction.DecodeResults(original.Process(i, Window(i)));
            var b = PpgShardFunction.DecodeResults(moved.Process(i, Window(i)));
            Assert.Equal("", b.Error);
            // The replayed history covers the analysis window: the moved tracker emits every window at once.
            Assert.Equal(a.Windows.Select(w => w.Start), b.Windows.Select(w => w.Start));
            foreach (var w in b.Windows) Assert.InRange(w.Bpm, Bpm - 3, Bpm + 3);
        }
    }

    [Fact]
    public void Process_FreshTrackerMidStream_WarmUpWindowsReportedWithheldThenTracks()
    {
        // Rebuilt after its owner died: the first window it sees is window 10.
        var rebuilt = new PpgShardFunction("p", null, replayWindows: 6);
        var outputs = Enumerable.Range(10, 10).Select(i => PpgShardFunction.DecodeResults(rebuilt.Process(i, Window(i)))).ToList();
        int warmUp = outputs.TakeWhile(o => o.Windows.All(w => w.Status == PpgStatus.Withheld)).Count();
        Assert.InRange(warmUp, 1, 4); // 8 s analysis window of 2 s batches
        foreach (var o in outputs.Take(warmUp))
        {
            var w = Assert.Single(o.Windows);
            Assert.True(double.IsNaN(w.Bpm));
        }
        var tracked = outputs.Skip(warmUp).SelectMany(o => o.Windows).ToList();
        Assert.NotEmpty(tracked);
        Assert.All(tracked, w => Assert.InRange(w.Bpm, Bpm - 3, Bpm + 3));
        // A fresh tracker from window 0 is a new patient, not a rebuild: its warm-up reports nothing.
        var fresh = new PpgShardFunction("q", null, replayWindows: 6);
        Assert.Empty(PpgShardFunction.DecodeResults(fresh.Process(0, Window(0))).Windows);
    }

    [Fact]
    public void Process_MalformedWindow_OutputsErrorNamingPatientAndKeepsState()
    {
        var f = new PpgShardFunction("p-7", null, replayWindows: 4);
        f.Process(0, Window(0));
        var bad = PpgShardFunction.DecodeResults(f.Process(1, new byte[] { 1, 0, 5, 0, 0, 0 }));
        Assert.Contains("patient 'p-7'", bad.Error);
        Assert.Equal("", PpgShardFunction.DecodeResults(f.Process(1, Window(1))).Error);
    }
}
