using Vigil.Ppg;
using Vigil.Ppg.Data;
using Vigil.Ppg.Evaluation;

namespace Vigil.Ppg.Tests;

public sealed class PatientPpgTrackerTests
{
    private static RecordingScore Score(PpgRecording rec, IReadOnlyList<ReferenceWindow> truth) =>
        PpgEvaluator.Score(rec.Name, TestSignals.Run(rec), truth);

    [Fact]
    public void Push_SyntheticRunWithMotionArtefacts_TracksWithinThreeBpm()
    {
        var s = TestSignals.Synthetic(seconds: 200);
        var score = Score(s.Recording, s.Truth);
        Assert.True(score.MaeBpm < 3, $"MAE {score.MaeBpm:0.00} BPM");
    }

    [Theory]
    [InlineData(25)]
    [InlineData(50)]
    [InlineData(256)]
    public void Push_OtherSamplingRates_TracksWithinThreeBpm(double fs)
    {
        var s = TestSignals.Synthetic(seconds: 160, fs: fs);
        var score = Score(s.Recording, s.Truth);
        Assert.Equal(s.Truth.Count, score.Windows);
        Assert.True(score.MaeBpm < 3, $"{fs} Hz: MAE {score.MaeBpm:0.00} BPM");
    }

    [Fact]
    public void Push_ScaledAndOffsetUnits_GivesSameEstimates()
    {
        var s = TestSignals.Synthetic(seconds: 60);
        var a = TestSignals.Run(s.Recording);
        var b = TestSignals.Run(TestSignals.MapPpg(s.Recording, (_, _, v) => 37 * v + 50_000));
        Assert.Equal(a.Select(r => Math.Round(r.Bpm, 1)), b.Select(r => Math.Round(r.Bpm, 1)));
    }

    [Fact]
    public void Push_UnsignedTwentyFourBitAdcCounts_TracksWithinThreeBpm()
    {
        // A 24-bit ADC near the top of its range: offsets of millions of counts, pulse of a few hundred.
        var s = TestSignals.Synthetic(seconds: 120, fs: 50, channels: 1);
        var rec = TestSignals.MapPpg(s.Recording, (_, _, v) => MathF.Round(8_000_000f + 2 * (v - 2000)));
        var score = Score(rec, s.Truth);
        Assert.True(score.MaeBpm < 3, $"MAE {score.MaeBpm:0.00} BPM");
    }

    [Fact]
    public void Push_SingleChannelDevice_TracksLikeOneChannel()
    {
        var s = TestSignals.Synthetic(seconds: 120, channels: 1);
        var dup = TestSignals.MapPpg(s.Recording, (_, _, v) => v);
        var asTwo = new PpgRecording("dup", "dup", dup.SampleRateHz, dup.TimeSeconds, new[] { dup.Ppg[0], dup.Ppg[0] }, dup.AccX, dup.AccY, dup.AccZ);
        var one = TestSignals.Run(s.Recording);
        var two = TestSignals.Run(asTwo);
        Assert.Equal(one.Select(r => r.Bpm), two.Select(r => r.Bpm));
        Assert.True(Score(asTwo, s.Truth).MaeBpm < 3);
    }

    [Fact]
    public void Push_WindowsAlignedToHop_CountMatchesReferenceFormula()
    {
        var s = TestSignals.Synthetic(seconds: 31);
        var results = TestSignals.Run(s.Recording);
        // floor((N/fs − 8)/2) + 1 windows, window i = [2i, 2i + 8).
        Assert.Equal((int)Math.Floor((31.0 - 8) / 2) + 1, results.Count);
        Assert.All(results, r => Assert.Equal(2 * r.WindowIndex, r.WindowStartSeconds, 9));
        Assert.All(results, r => Assert.Equal(r.WindowStartSeconds + 8, r.WindowEndSeconds, 9));
    }

    [Fact]
    public void Push_LaterSamples_NeverChangeEarlierWindows()
    {
        // Causality: windows 0..k are the same whether or not the recording continues.
        var s = TestSignals.Synthetic(seconds: 120);
        var full = TestSignals.Run(s.Recording);
        var n = (int)(60 * s.Recording.SampleRateHz);
        var cut = s.Recording.Slice("x", 0, n);
        var head = TestSignals.Run(new PpgRecording(s.Recording.Name, s.Recording.Identity, s.Recording.SampleRateHz,
            cut.TimeSeconds, cut.Ppg, cut.AccX, cut.AccY, cut.AccZ));
        Assert.True(head.Count > 20);
        for (var i = 0; i < head.Count; i++) Assert.Equal(full[i].Bpm, head[i].Bpm);
    }

    [Fact]
    public void Push_ConstantPpg_WithheldAsFlatSignal()
    {
        var s = TestSignals.Synthetic(seconds: 40);
        var rec = TestSignals.MapPpg(s.Recording, (_, i, v) => i >= 10 * 125 && i < 30 * 125 ? 1234f : v);
        var results = TestSignals.Run(rec);
        var w = results.Single(r => r.WindowStartSeconds == 14);
        Assert.Equal(PpgStatus.Withheld, w.Status);
        Assert.StartsWith("flat signal", w.Reason);
        Assert.True(double.IsFinite(w.Bpm));
        Assert.NotEqual(PpgStatus.Withheld, results[0].Status);
    }

    [Fact]
    public void Push_ClippedPpg_WithheldAsClipping()
    {
        var s = TestSignals.Synthetic(seconds: 40, artefact: 0);
        // Rail at the pulse's mid level in both channels: every beat pins at the limit.
        var rec = TestSignals.MapPpg(s.Recording, (_, i, v) => i >= 10 * 125 ? Math.Min(v, 2000 + 60) : v);
        var w = TestSignals.Run(rec).Single(r => r.WindowStartSeconds == 20);
        Assert.Equal(PpgStatus.Withheld, w.Status);
        Assert.StartsWith("clipping", w.Reason);
    }

    [Fact]
    public void Push_GapInTimestamps_WithholdsOverlappingWindowsAsDropout()
    {
        var s = TestSignals.Synthetic(seconds: 60);
        var r = s.Recording;
        // Remove samples between 20 s and 23 s.
        var keep = Enumerable.Range(0, r.Count).Where(i => r.TimeSeconds[i] < 20 || r.TimeSeconds[i] >= 23).ToArray();
        var gapped = new PpgRecording("gap", "gap", r.SampleRateHz, keep.Select(i => r.TimeSeconds[i]).ToArray(),
            r.Ppg.Select(ch => keep.Select(i => ch[i]).ToArray()).ToArray(),
            keep.Select(i => r.AccX[i]).ToArray(), keep.Select(i => r.AccY[i]).ToArray(), keep.Select(i => r.AccZ[i]).ToArray());
        var results = TestSignals.Run(gapped);
        Assert.Equal(TestSignals.Run(r).Count, results.Count);
        foreach (var w in results)
        {
            var overlaps = w.WindowStartSeconds < 23 && w.WindowEndSeconds > 20;
            if (overlaps)
            {
                Assert.Equal(PpgStatus.Withheld, w.Status);
                Assert.StartsWith("dropout", w.Reason);
            }
        }
        Assert.Contains(results, w => w.WindowStartSeconds >= 24 && w.Status != PpgStatus.Withheld);
    }

    [Fact]
    public void Push_NonFiniteLiveSample_WithheldAsInvalid()
    {
        var s = TestSignals.Synthetic(seconds: 30);
        var rec = TestSignals.MapPpg(s.Recording, (c, i, v) => i == 1500 && c == 0 ? float.NaN : v);
        var results = TestSignals.Run(rec);
        var w = results.Single(r => r.WindowStartSeconds == 6);
        Assert.Equal(PpgStatus.Withheld, w.Status);
        Assert.StartsWith("invalid samples", w.Reason);
        Assert.NotEqual(PpgStatus.Withheld, results.Single(r => r.WindowStartSeconds == 14).Status);
    }

    [Fact]
    public void Push_TimestampsGoingBack_RejectsBatchWithoutChangingState()
    {
        var s = TestSignals.Synthetic(seconds: 30);
        var tracker = new PatientPpgTracker("p1", 2, sampleRateHz: 125);
        var results = new List<PpgWindowResult>();
        tracker.Push(s.Recording.Slice("p1", 0, 1000), results);
        var e = Assert.Throws<PpgInputException>(() => tracker.Push(s.Recording.Slice("p1", 900, 200), results));
        Assert.Contains("p1", e.Message);
        Assert.Equal(1000, tracker.SamplesAccepted);
        tracker.Push(s.Recording.Slice("p1", 1000, s.Recording.Count - 1000), results);
        Assert.Equal(TestSignals.Run(s.Recording).Select(r => r.Bpm), results.Select(r => r.Bpm));
    }

    [Fact]
    public void Push_UnknownRate_DerivedFromTimestamps()
    {
        var s = TestSignals.Synthetic(seconds: 20, fs: 64);
        var tracker = new PatientPpgTracker("p", 2);
        var results = new List<PpgWindowResult>();
        tracker.Push(s.Recording.Slice("p", 0, s.Recording.Count), results);
        Assert.Equal(64, tracker.SampleRateHz!.Value, 3);
        Assert.Equal(7, results.Count);
    }

    [Fact]
    public void Push_GyroscopeAppearingMidStream_RejectedNamingPatient()
    {
        var g = Synthetic.StressGenerator.Generate(new Synthetic.StressScenario(Synthetic.StressCase.Treadmill, 1, 30, 50, 2, Gyroscope: true));
        var tracker = new PatientPpgTracker("p9", 2, sampleRateHz: 50);
        var results = new List<PpgWindowResult>();
        var first = g.Recording.Slice("p9", 0, 100);
        tracker.Push(new PpgSampleBatch("p9", first.TimeSeconds, first.Ppg, first.AccX, first.AccY, first.AccZ), results);
        var e = Assert.Throws<PpgInputException>(() => tracker.Push(g.Recording.Slice("p9", 100, 100), results));
        Assert.Contains("p9", e.Message);
        Assert.Contains("gyroscope", e.Message);
    }

    [Fact]
    public void Push_WithGyroscope_TracksAndStaysUnderBudget()
    {
        var g = Synthetic.StressGenerator.Generate(new Synthetic.StressScenario(Synthetic.StressCase.Treadmill, 2, 150, 100, 3, Gyroscope: true));
        var tracker = new PatientPpgTracker("g", 3, sampleRateHz: 100);
        var results = new List<PpgWindowResult>();
        tracker.Push(g.Recording.Slice("g", 0, g.Recording.Count), results);
        var score = Evaluation.PpgEvaluator.Score("g", results, g.Truth);
        Assert.True(score.MaeBpm < 5, $"MAE {score.MaeBpm:0.00}");
        Assert.InRange(tracker.StateBytes, 1_000, 20_000);
    }

    [Fact]
    public void Score_WithheldWindows_CoverageAndReportedErrorExcludeThem()
    {
        var s = TestSignals.Synthetic(seconds: 40);
        var rec = TestSignals.MapPpg(s.Recording, (_, i, v) => i >= 10 * 125 && i < 30 * 125 ? 1234f : v);
        var score = Evaluation.PpgEvaluator.Score("flat", TestSignals.Run(rec), s.Truth);
        var withheld = score.Scored.Count(w => w.Result.Status == PpgStatus.Withheld);
        Assert.True(withheld > 0);
        Assert.Equal(1 - withheld / (double)score.Windows, score.Coverage, 9);
        Assert.Equal(score.Scored.Where(w => w.Result.Status != PpgStatus.Withheld).Average(w => w.AbsoluteError), score.MaeReportedBpm!.Value, 9);
        Assert.Equal(withheld, score.WithheldByReason.Values.Sum());
        Assert.True(score.WithheldByReason["flat signal"] > 0);
    }

    [Fact]
    public void Push_AbsurdLiveRate_Throws()
    {
        var t = Enumerable.Range(0, 32).Select(i => i * 0.5).ToArray();   // 2 Hz
        var z = new float[32];
        var tracker = new PatientPpgTracker("p", 1);
        var e = Assert.Throws<PpgInputException>(() => tracker.Push(new PpgSampleBatch("p", t, new[] { z }, z, z, z), new List<PpgWindowResult>()));
        Assert.Contains("sampling rate", e.Message);
    }

    [Fact]
    public void Result_CarriesProvenanceAndBoundedScores()
    {
        var s = TestSignals.Synthetic(seconds: 30);
        foreach (var r in TestSignals.Run(s.Recording))
        {
            Assert.Contains(PpgProvenance.TrackerId, r.Provenance);
            Assert.Contains("cfg=", r.Provenance);
            Assert.InRange(r.Confidence, 0, 1);
            Assert.InRange(r.SignalQuality, 0, 1);
            Assert.Equal(r.Status == PpgStatus.Ok, r.Reason is null);
        }
    }

    [Fact]
    public void Options_WindowNotMultipleOfHop_Rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new PatientPpgTracker("p", 1, new PpgTrackerOptions { WindowSeconds = 7, HopSeconds = 2 }));
        Assert.Contains("multiple", e.Message);
    }
}
