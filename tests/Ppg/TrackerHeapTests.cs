using Vigil.Ppg;

namespace Vigil.Ppg.Tests;

/// <summary>Runs alone: other tests allocating in parallel would skew <see cref="GC.GetTotalMemory(bool)"/>.</summary>
[CollectionDefinition(nameof(TrackerHeapTests), DisableParallelization = true)]
public sealed class TrackerHeapCollection;

[Collection(nameof(TrackerHeapTests))]
public sealed class TrackerHeapTests
{
    [Fact]
    public void StateBytes_ThousandLivePatients_UnderTwentyKilobytesEachOnTheHeap()
    {
        var s = TestSignals.Synthetic(seconds: 12);
        var batch = s.Recording.Slice("p", 0, s.Recording.Count);
        var results = new List<PpgWindowResult>();
        var before = GC.GetTotalMemory(true);
        var live = new List<PatientPpgTracker>();
        for (var i = 0; i < 1000; i++)
        {
            var t = new PatientPpgTracker("p" + i, 2, sampleRateHz: 125);
            t.Push(batch, results);
            results.Clear();
            live.Add(t);
        }
        var perPatient = (GC.GetTotalMemory(true) - before) / 1000.0;
        Assert.InRange(perPatient, 1_000, 20_000);
        Assert.InRange(live[0].StateBytes, 0.5 * perPatient, 1.5 * perPatient);
    }
}
