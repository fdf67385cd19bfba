using System.Collections.Concurrent;
using Vigil.Ppg;
using Vigil.Ppg.Data;
using Vigil.Streams;
using Vigil.TestKit;

namespace Vigil.Ppg.Tests;

/// <summary>The PPG graph in both keyed forms (GroupBy: lanes 0; SelectPerKey lanes: N), and the replay runner.</summary>
public sealed class PpgStreamGraphTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Post_OnePatientsBadBatches_OtherPatientsUnaffected(int lanes)
    {
        var a = TestSignals.Synthetic(seconds: 40, seed: 1).Recording;
        var b = TestSignals.Synthetic(seconds: 40, seed: 2).Recording;
        var results = new ConcurrentQueue<PpgWindowResult>();
        var errors = new ConcurrentQueue<PpgIngestError>();
        using var materializer = new Materializer(new MaterializerOptions { TimeProvider = new ManualClock() });
        await using (var graph = new PpgStreamGraph(materializer, results.Enqueue, errors.Enqueue, new PpgStreamGraphOptions { Lanes = lanes }))
        {
            for (var i = 0; i < a.Count; i += 125)
            {
                await graph.PostAsync(a.Slice("alice", i, Math.Min(125, a.Count - i)));
                await graph.PostAsync(b.Slice("bob", i, Math.Min(125, b.Count - i)));
                if (i == 2500) await graph.PostAsync(b.Slice("bob", 100, 125)); // bob's clock goes back
                if (i == 3000) await graph.PostAsync(new PpgSampleBatch("bob", [1e9], [new float[1]], new float[1], new float[1], new float[1])); // wrong channel count
            }
            await graph.CompleteAsync().WaitAsync(Safety);
            Assert.Equal(2, graph.Errors);
        }
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.Equal("bob", e.PatientId));
        Assert.Equal(TestSignals.Run(a).Select(r => r.Bpm), results.Where(r => r.PatientId == "alice").OrderBy(r => r.WindowIndex).Select(r => r.Bpm));
        // Bob's refused batches changed nothing either.
        Assert.Equal(TestSignals.Run(b).Select(r => r.Bpm), results.Where(r => r.PatientId == "bob").OrderBy(r => r.WindowIndex).Select(r => r.Bpm));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public async Task Post_ManyPatients_EachKeepsItsOwnState(int lanes)
    {
        var recs = Enumerable.Range(0, 8).Select(i => TestSignals.Synthetic(seconds: 24, seed: 20 + i).Recording).ToArray();
        var results = new ConcurrentQueue<PpgWindowResult>();
        using var materializer = new Materializer(new MaterializerOptions { TimeProvider = new ManualClock() });
        await using (var graph = new PpgStreamGraph(materializer, results.Enqueue, options: new PpgStreamGraphOptions { QueueCapacity = 4, Lanes = lanes }))
        {
            await Task.WhenAll(recs.Select((r, i) => PpgPipelineRunner.ReplayAsync(graph, r, $"p{i}", batchSeconds: 0.5)));
            await graph.CompleteAsync().WaitAsync(Safety);
        }
        for (var i = 0; i < recs.Length; i++)
            Assert.Equal(TestSignals.Run(recs[i]).Select(r => r.Bpm),
                results.Where(r => r.PatientId == $"p{i}").OrderBy(r => r.WindowIndex).Select(r => r.Bpm));
    }

    [Fact]
    public void Create_LanesWithIdleTimeout_RefusedWithReason()
    {
        using var materializer = new Materializer();
        var e = Assert.Throws<ArgumentException>(() => new PpgStreamGraph(materializer, _ => { },
            options: new PpgStreamGraphOptions { Lanes = 2, IdleTimeout = TimeSpan.FromMinutes(5) }));
        Assert.Contains("IdleTimeout needs the GroupBy graph", e.Message);
    }

    [Fact]
    public async Task Replay_PacedOnManualClock_PostsOnlyWhatTimeAllows()
    {
        var rec = TestSignals.Synthetic(seconds: 20).Recording;
        var clock = new ManualClock();
        var results = new ConcurrentQueue<PpgWindowResult>();
        using var materializer = new Materializer(new MaterializerOptions { TimeProvider = clock });
        await using var pipeline = new PpgStreamGraph(materializer, results.Enqueue, options: new PpgStreamGraphOptions { Lanes = 1 });
        var replay = PpgPipelineRunner.ReplayAsync(pipeline, rec, "p", batchSeconds: 1, pacing: clock);
        // Nothing is due before the first batch's last sample time (~1 s).
        await WaitUntil(() => pipeline.BatchesProcessed == 0 && !replay.IsCompleted);
        Assert.Equal(0, pipeline.BatchesProcessed);
        for (var s = 0; s < 9; s++) clock.Advance(TimeSpan.FromSeconds(1));
        await WaitUntil(() => results.Count >= 1);
        Assert.Single(results);                       // window [0, 8) only: 9 s of signal
        Assert.False(replay.IsCompleted);
        for (var s = 0; s < 12; s++) clock.Advance(TimeSpan.FromSeconds(1));
        await replay.WaitAsync(Safety);
        await pipeline.CompleteAsync().WaitAsync(Safety);
        Assert.Equal(7, results.Count);
    }

    [Fact]
    public async Task RunRecording_SameAsDirectTracker()
    {
        var rec = TestSignals.Synthetic(seconds: 40).Recording;
        var viaGraph = await PpgPipelineRunner.RunRecordingAsync(rec).WaitAsync(Safety);
        Assert.Equal(TestSignals.Run(rec).Select(r => (r.WindowIndex, r.Bpm, r.Status)), viaGraph.Select(r => (r.WindowIndex, r.Bpm, r.Status)));
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        // Progress polling on the worker (not a timing assertion): bounded by the safety timeout.
        var deadline = DateTime.UtcNow + Safety;
        while (!condition() && DateTime.UtcNow < deadline) await Task.Yield();
    }
}
