using System.Collections.Concurrent;
using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Akka.TestKit;
using Vigil.Ppg;
using Vigil.Tests.Common;

namespace Vigil.Ppg.Tests;

/// <summary>The PPG heart-rate graph on Akka.Streams: the public flow, the push-style graph, and the replay runner.</summary>
public sealed class PpgStreamGraphTests() : Akka.TestKit.Xunit2.TestKit(AkkaTestConfig.VirtualTime)
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(1, false)]
    [InlineData(3, false)]
    [InlineData(1, true)]
    public async Task Post_OnePatientsBadBatches_OtherPatientsUnaffected(int lanes, bool groupBy)
    {
        var a = TestSignals.Synthetic(seconds: 40, seed: 1).Recording;
        var b = TestSignals.Synthetic(seconds: 40, seed: 2).Recording;
        var results = new ConcurrentQueue<PpgWindowResult>();
        var errors = new ConcurrentQueue<PpgIngestError>();
        await using (var graph = new PpgStreamGraph(Sys.Materializer(), results.Enqueue, errors.Enqueue, new PpgStreamGraphOptions { Lanes = lanes, UseGroupBy = groupBy }))
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
    [InlineData(1)]
    [InlineData(3)]
    public async Task Post_ManyPatientsConcurrently_EachKeepsItsOwnState(int lanes)
    {
        var recs = Enumerable.Range(0, 8).Select(i => TestSignals.Synthetic(seconds: 24, seed: 20 + i).Recording).ToArray();
        var results = new ConcurrentQueue<PpgWindowResult>();
        await using (var graph = new PpgStreamGraph(Sys.Materializer(), results.Enqueue, options: new PpgStreamGraphOptions { QueueCapacity = 4, Lanes = lanes }))
        {
            await Task.WhenAll(recs.Select((r, i) => PpgPipelineRunner.ReplayAsync(graph, r, $"p{i}", batchSeconds: 0.5)));
            await graph.CompleteAsync().WaitAsync(Safety);
        }
        for (var i = 0; i < recs.Length; i++)
            Assert.Equal(TestSignals.Run(recs[i]).Select(r => r.Bpm),
                results.Where(r => r.PatientId == $"p{i}").OrderBy(r => r.WindowIndex).Select(r => r.Bpm));
    }

    [Fact]
    public void HeartRateFlow_OnProbes_RefusedBatchGoesToItsSinkOthersFlow()
    {
        var rec = TestSignals.Synthetic(seconds: 20, seed: 4).Recording;
        var refused = CreateTestProbe();
        var flow = PpgFlows.HeartRate(refused: Sink.ActorRef<PpgIngestError>(refused.Ref, "done", e => e));
        var (upstream, downstream) = this.SourceProbe<PpgSampleBatch>().Via(flow).ToMaterialized(this.SinkProbe<PpgWindowResult>(), Keep.Both).Run(Sys.Materializer());
        downstream.Request(1);
        // 9 s of signal completes the first 8 s window.
        for (var i = 0; i < 9; i++) upstream.SendNext(rec.Slice("carol", i * 125, 125));
        var first = downstream.ExpectNext();
        Assert.Equal(("carol", 0L), (first.PatientId, first.WindowIndex));
        downstream.Request(10);
        upstream.SendNext(new PpgSampleBatch("dave", [1.0, 0.5], [new float[2]], new float[2], new float[2], new float[2])); // clock goes back
        Assert.Equal("dave", refused.ExpectMsg<PpgIngestError>().PatientId);
        // Carol goes on: one more second completes her next window (2 s hop).
        for (var i = 9; i < 11; i++) upstream.SendNext(rec.Slice("carol", i * 125, 125));
        Assert.Equal(1, downstream.ExpectNext().WindowIndex);
        upstream.SendComplete();
        downstream.ExpectComplete();
    }

    [Fact]
    public void IdleTimeout_OnVirtualTime_SilentPatientStartsAfresh()
    {
        var scheduler = (TestScheduler)Sys.Scheduler;
        var rec = TestSignals.Synthetic(seconds: 20, seed: 5).Recording;
        var (upstream, downstream) = this.SourceProbe<PpgSampleBatch>()
            .Via(PpgFlows.HeartRate(new PpgStreamGraphOptions { IdleTimeout = TimeSpan.FromMinutes(4) }))
            .ToMaterialized(this.SinkProbe<PpgWindowResult>(), Keep.Both).Run(Sys.Materializer());
        downstream.Request(10);
        for (var i = 0; i < 9; i++) upstream.SendNext(rec.Slice("erin", i * 125, 125));
        Assert.Equal(0, downstream.ExpectNext().WindowIndex);
        for (var m = 0; m < 6; m++) scheduler.Advance(TimeSpan.FromMinutes(1)); // idle past the timeout
        // Erin's state was released: the next batch (later time) starts a new tracker that must warm up again,
        // so 2 more seconds produce no window, whereas the old tracker would have emitted window 1 after 10 s.
        for (var i = 9; i < 11; i++) upstream.SendNext(rec.Slice("erin", i * 125, 125));
        upstream.SendComplete();
        downstream.ExpectComplete();
    }

    [Fact]
    public async Task Replay_PacedOnManualClock_PostsOnlyWhatTimeAllows()
    {
        var rec = TestSignals.Synthetic(seconds: 20).Recording;
        var clock = new ManualClock();
        var results = new ConcurrentQueue<PpgWindowResult>();
        await using var pipeline = new PpgStreamGraph(Sys.Materializer(), results.Enqueue);
        var replay = PpgPipelineRunner.ReplayAsync(pipeline, rec, "p", batchSeconds: 1, pacing: clock);
        // Nothing is due before the first batch's last sample time (~1 s).
        Assert.False(replay.IsCompleted);
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
    public async Task RunRecording_SameAsDirectTracker_OnSharedAndOwnSystem()
    {
        var rec = TestSignals.Synthetic(seconds: 40).Recording;
        var expected = TestSignals.Run(rec).Select(r => (r.WindowIndex, r.Bpm, r.Status)).ToList();
        var shared = await PpgPipelineRunner.RunRecordingAsync(rec, materializer: Sys.Materializer()).WaitAsync(Safety);
        var own = await PpgPipelineRunner.RunRecordingAsync(rec).WaitAsync(Safety);
        Assert.Equal(expected, shared.Select(r => (r.WindowIndex, r.Bpm, r.Status)));
        Assert.Equal(expected, own.Select(r => (r.WindowIndex, r.Bpm, r.Status)));
    }

    [Fact]
    public async Task Complete_CalledTwiceAndDisposed_IsSafe()
    {
        var graph = new PpgStreamGraph(Sys.Materializer(), _ => { });
        await graph.CompleteAsync().WaitAsync(Safety);
        await graph.CompleteAsync().WaitAsync(Safety);
        await graph.DisposeAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => graph.PostAsync(TestSignals.Synthetic(seconds: 10).Recording.Slice("p", 0, 125)).AsTask());
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        // Progress polling on the worker (not a timing assertion): bounded by the safety timeout.
        var deadline = DateTime.UtcNow + Safety;
        while (!condition() && DateTime.UtcNow < deadline) await Task.Yield();
    }
}
