using Vigil.Streams.Metrics;
using System.Diagnostics;
using Vigil.Ppg.Data;
using Vigil.Ppg.Demo;
using Akka.Actor;
using Akka.Streams;

namespace Vigil.Ppg.Bench;

/// <summary>Settings of <see cref="PpgBenchmark"/>.</summary>
/// <param name="Streams">Concurrent patient streams.</param>
/// <param name="Seconds">Signal seconds per stream in each phase.</param>
/// <param name="SampleRateHz">Device rate of every stream.</param>
/// <param name="BatchSeconds">Samples per posted batch, in seconds (a watch uploading every half second).</param>
/// <param name="Graph"><c>lanes</c> (Vigil's per-key stage on one lane per core, default) or <c>groupby</c> (Akka's GroupBy, a substream per patient) for the paced run; both are <see cref="PpgStreamGraph"/> on Akka.Streams.</param>
public sealed record PpgBenchOptions(int Streams = 1000, double Seconds = 30, double SampleRateHz = 125, double BatchSeconds = 0.5, string Graph = "lanes")
{
    /// <summary>Tracker settings of every stream (e.g. with the learned refinement on).</summary>
    public PpgTrackerOptions Tracker { get; init; } = PpgTrackerOptions.Default;
}

/// <summary>What <see cref="PpgBenchmark"/> measured.</summary>
/// <param name="Streams">Concurrent streams.</param>
/// <param name="Seconds">Signal seconds per stream.</param>
/// <param name="BatchSeconds">Samples per posted batch, in seconds (part of the latency: a window's last sample waits for its batch).</param>
/// <param name="Graph">Graph used for the paced run and <see cref="RealtimeFactor"/>.</param>
/// <param name="Cores">Processor count.</param>
/// <param name="RealtimeFactor">Capacity of <see cref="Graph"/>: signal seconds processed per wall second, divided by the number of streams, every stream pushed as fast as the graph accepts (≥ 1 keeps up with live data).</param>
/// <param name="OtherGraphRealtimeFactor">The same for the other graph, in the same run.</param>
/// <param name="PacedRealtimeFactor">Signal seconds over wall seconds with the streams paced at real time (≈ 1 when keeping up).</param>
/// <param name="P50ResultLatencyMs">Median time from a window's last sample (its real-time instant) to its result, paced run.</param>
/// <param name="P99ResultLatencyMs">99th percentile of that latency.</param>
/// <param name="MaxResultLatencyMs">Largest latency seen.</param>
/// <param name="BytesPerStream">Managed heap growth per stream with every stream live (GC-measured, paced run).</param>
/// <param name="StateBytesPerStream">Per-patient tracker state as counted by the tracker.</param>
/// <param name="Windows">Windows produced in the paced run.</param>
/// <param name="SingleStreamWindowsPerSecond">One tracker on one core, no graph: windows per second.</param>
/// <param name="GraphWindowsPerCoreSecond">Windows per process CPU second through <see cref="Graph"/> in the capacity run.</param>
/// <param name="LoadAverage">The machine's 1-minute load average when the run ended (other tenants' load skews every figure).</param>
public sealed record PpgBenchResult(int Streams, double Seconds, double BatchSeconds, string Graph, int Cores, double RealtimeFactor,
    double OtherGraphRealtimeFactor, double PacedRealtimeFactor, double P50ResultLatencyMs, double P99ResultLatencyMs, double MaxResultLatencyMs,
    double BytesPerStream, double StateBytesPerStream, long Windows, double SingleStreamWindowsPerSecond, double GraphWindowsPerCoreSecond, double LoadAverage)
{
    /// <summary>Microseconds the learned refinement adds per window (its inference alone, timed over many windows); 0 when off.</summary>
    public double RefinementMicrosecondsPerWindow { get; init; }

    /// <summary>Microseconds per window of one tracker on one core without the refinement (resampling, spectra, tracking).</summary>
    public double WindowMicrosecondsWithoutRefinement { get; init; }
}

/// <summary>
/// The PPG scale benchmark: N concurrent patient streams (a generated 125 Hz recording replayed
/// with a different offset per stream) through the whole keyed graph. A paced run posts each
/// stream's batches when their last sample is due in real time and measures, per window, the time
/// from its last sample to its result; capacity runs push every stream as fast as each graph
/// (one lane per core, and a GroupBy substream per patient) accepts, side by side.
/// </summary>
public static class PpgBenchmark
{
    /// <summary>Runs the benchmark.</summary>
    public static async Task<PpgBenchResult> RunAsync(PpgBenchOptions options, TextWriter? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Streams < 1 || !(options.Seconds >= 10)) throw new ArgumentException("need ≥ 1 stream and ≥ 10 s.");
        if (options.Graph is not ("lanes" or "groupby")) throw new ArgumentException($"graph must be 'lanes' or 'groupby', not '{options.Graph}'.");
        var useStreams = options.Graph == "groupby";
        // JIT warm-up on one short stream so the timed runs measure steady-state code.
        var warm = SyntheticPpg.Generate(seconds: 60, sampleRateHz: options.SampleRateHz, seed: 5).Recording;
        for (var i = 0; i < 3; i++) SingleStream(warm);
        var source = SyntheticPpg.Generate(seconds: 240, sampleRateHz: options.SampleRateHz, seed: 11).Recording;
        var batchN = Math.Max(1, (int)Math.Round(options.SampleRateHz * options.BatchSeconds));
        var batchSeconds = batchN / options.SampleRateHz;
        var batchesPerStream = (int)(options.Seconds / batchSeconds);
        var ids = Enumerable.Range(0, options.Streams).Select(s => $"patient-{s:D6}").ToArray();

        // Paced run first, so the heap baseline holds no earlier run's patients.
        progress?.WriteLine($"ppg bench: paced run ({options.Graph}), {options.Streams} streams x {options.Seconds} s at real time...");
        var paced = await PacedAsync(source, ids, batchN, batchesPerStream, useStreams, options.Tracker, cancellationToken).ConfigureAwait(false);
        progress?.WriteLine($"ppg bench: p99 latency {paced.P99:0} ms; capacity runs...");
        var (rtf, graphPerCore) = await CapacityAsync(source, ids, batchN, batchesPerStream, useStreams, options.Tracker, cancellationToken).ConfigureAwait(false);
        // Side-by-side capacity of the other graph, up to 1000 streams (a substream loop per
        // patient makes the GroupBy graph's capacity run long beyond that).
        var otherRtf = double.NaN;
        if (options.Streams <= 1000)
            (otherRtf, _) = await CapacityAsync(source, ids, batchN, batchesPerStream, !useStreams, options.Tracker, cancellationToken).ConfigureAwait(false);
        var single = SingleStream(source, options.Tracker);
        var bare = SingleStream(source, options.Tracker with { Refinement = null });
        var refinementUs = options.Tracker.Refinement is { } model ? RefinementCost(model) : 0;
        progress?.WriteLine($"ppg bench: capacity {rtf:0.00}x real time ({(useStreams ? "lanes" : "groupby")}: {otherRtf:0.00}x), single stream {single:0} windows/s");
        return new PpgBenchResult(options.Streams, options.Seconds, batchSeconds, options.Graph, Environment.ProcessorCount, rtf, otherRtf,
            options.Seconds / paced.Wall, paced.P50, paced.P99, paced.Max, paced.BytesPerStream, paced.StatePerStream, paced.Windows,
            single, graphPerCore, MachineLoad.OneMinuteAverage())
        {
            RefinementMicrosecondsPerWindow = refinementUs,
            WindowMicrosecondsWithoutRefinement = 1e6 / bare,
        };
    }

    // The refinement's inference alone over many windows' worth of features (its cost per window).
    private static double RefinementCost(Vigil.Ppg.Tracking.PpgRefinementModel model)
    {
        var random = new Random(3);
        var features = new float[1024][];
        for (var i = 0; i < features.Length; i++)
            features[i] = Enumerable.Range(0, Vigil.Ppg.Tracking.RefinementFeatures.Count).Select(_ => (float)random.NextDouble()).ToArray();
        var scratch = new float[2 * model.MaxWidth];
        double sink = 0;
        for (var i = 0; i < features.Length; i++) sink += model.Probability(features[i], scratch);
        const int calls = 200_000;
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < calls; i++) sink += model.Probability(features[i & 1023], scratch);
        var us = sw.Elapsed.TotalMicroseconds / calls;
        return double.IsNaN(sink) ? double.NaN : us;
    }


    // Every stream pushed as fast as the graph accepts (bounded queues push back on the producer).
    private static async Task<(double Rtf, double WindowsPerCoreSecond)> CapacityAsync(PpgRecording source, string[] ids, int batchN, int batches, bool streams, PpgTrackerOptions tracker, CancellationToken ct)
    {
        long windows = 0;
        var sw = Stopwatch.StartNew();
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        await using var pipeline = Graph.Create(streams, _ => Interlocked.Increment(ref windows), 1024, tracker);
        for (var b = 0; b < batches; b++)
            for (var s = 0; s < ids.Length; s++)
                await pipeline.PostAsync(MakeBatch(source, s, b, batchN, ids[s]), ct).ConfigureAwait(false);
        await pipeline.CompleteAsync().ConfigureAwait(false);
        var wall = sw.Elapsed.TotalSeconds;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
        return (batches * (double)batchN / source.SampleRateHz / wall, windows / Math.Max(cpu, 1e-9));
    }

    private sealed record Paced(double Wall, double P50, double P99, double Max, double BytesPerStream, double StatePerStream, long Windows);

    // Stream s's batch b is posted when its last sample is due in real time (streams phase-shifted
    // across one batch period); latency runs from a window's last sample's instant to its result.
    private static async Task<Paced> PacedAsync(PpgRecording source, string[] ids, int batchN, int batches, bool streams, PpgTrackerOptions tracker, CancellationToken ct)
    {
        var n = ids.Length;
        var batchSeconds = batchN / source.SampleRateHz;
        var signalSeconds = batches * batchSeconds;
        var latencies = new double[(long)n * ((int)((signalSeconds - 8) / 2) + 2)];
        long count = 0;
        var phase = new double[n];
        for (var s = 0; s < n; s++) phase[s] = batchSeconds * s / n;
        var index = new Dictionary<string, int>(n);
        for (var s = 0; s < n; s++) index[ids[s]] = s;
        GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();
        var before = GC.GetTotalMemory(true);
        var clock = Stopwatch.StartNew();
        double bytesPerStream = 0, statePerStream = 0;
        await using var pipeline = Graph.Create(streams, r =>
        {
            // The window's last sample is at WindowEnd − 1/fs on the stream's clock.
            var due = phase[index[r.PatientId]] + r.WindowEndSeconds - 1 / source.SampleRateHz;
            var i = Interlocked.Increment(ref count) - 1;
            if (i < latencies.Length) latencies[i] = clock.Elapsed.TotalSeconds - due;
        }, 1 << 16, tracker);
        // One cursor over (batch, stream) in due order: wake every few milliseconds and post whatever is due.
        long posted = 0;
        for (var b = 0; b < batches; b++)
        {
            for (var s = 0; s < n; s++)
            {
                // Batch b holds samples up to (b + 1)·batch − 1/fs: post it once that instant has passed.
                var due = phase[s] + (b + 1) * batchSeconds - 1 / source.SampleRateHz;
                while (due > clock.Elapsed.TotalSeconds) await Task.Delay(TimeSpan.FromMilliseconds(4), ct).ConfigureAwait(false);
                await pipeline.PostAsync(MakeBatch(source, s, b, batchN, ids[s]), ct).ConfigureAwait(false);
                posted++;
            }
        }
        while (pipeline.BatchesProcessed < posted) await Task.Delay(TimeSpan.FromMilliseconds(5), ct).ConfigureAwait(false);
        var wall = clock.Elapsed.TotalSeconds;
        // Every patient is live and the queues are drained: what remains is per-stream state.
        bytesPerStream = (double)(GC.GetTotalMemory(true) - before) / n;
        statePerStream = new PatientPpgTracker("size", 2, tracker, sampleRateHz: source.SampleRateHz).StateBytes;
        await pipeline.CompleteAsync().ConfigureAwait(false);
        var m = (int)Math.Min(count, latencies.Length);
        Array.Sort(latencies, 0, m);
        double Pct(double p) => m == 0 ? double.NaN : 1000 * latencies[Math.Min(m - 1, (int)(p * m))];
        GC.KeepAlive(pipeline);
        return new Paced(wall, Pct(0.5), Pct(0.99), m == 0 ? double.NaN : 1000 * latencies[m - 1], bytesPerStream, statePerStream, count);
    }

    private static PpgSampleBatch MakeBatch(PpgRecording source, int stream, int batch, int batchN, string id)
    {
        // Stream s replays the source from its own offset (wrapping), on its own time axis from 0.
        var offset = (int)((long)stream * 7919 % source.Count);
        var t = new double[batchN];
        var ppg = new[] { new float[batchN], new float[batchN] };
        float[] x = new float[batchN], y = new float[batchN], z = new float[batchN];
        for (var i = 0; i < batchN; i++)
        {
            var k = batch * batchN + i;
            var j = (offset + k) % source.Count;
            t[i] = k / source.SampleRateHz;
            ppg[0][i] = source.Ppg[0][j]; ppg[1][i] = source.Ppg[1][j];
            x[i] = source.AccX[j]; y[i] = source.AccY[j]; z[i] = source.AccZ[j];
        }
        return new PpgSampleBatch(id, t, ppg, x, y, z);
    }

    private static double SingleStream(PpgRecording source, PpgTrackerOptions? tracker = null)
    {
        // One tracker on this thread (JIT already warm from the capacity run): windows per second.
        var results = new List<PpgWindowResult>();
        var batches = new List<PpgSampleBatch>();
        var n = (int)source.SampleRateHz;
        for (var i = 0; i + n <= source.Count; i += n) batches.Add(source.Slice("single", i, n));
        var windows = 0L;
        var sw = Stopwatch.StartNew();
        for (var rep = 0; rep < 4; rep++)
        {
            var tracker1 = new PatientPpgTracker("single", source.Ppg.Length, tracker, sampleRateHz: source.SampleRateHz);
            foreach (var b in batches) { tracker1.Push(b, results); windows += results.Count; results.Clear(); }
        }
        return windows / sw.Elapsed.TotalSeconds;
    }

    // Either keyed form of the PPG graph, on its own ActorSystem.
    private sealed class Graph : IAsyncDisposable
    {
        private readonly ActorSystem _system = PpgPipelineRunner.CreateSystem("vigil-ppg-bench");
        private readonly PpgStreamGraph _graph;

        private Graph(bool groupBy, Action<PpgWindowResult> onResult, int capacity, PpgTrackerOptions tracker) =>
            _graph = new PpgStreamGraph(_system.Materializer(), onResult, options: new PpgStreamGraphOptions
            {
                Tracker = tracker,
                QueueCapacity = capacity,
                Lanes = groupBy ? 1 : Environment.ProcessorCount,
                UseGroupBy = groupBy,
            });

        public static Graph Create(bool groupBy, Action<PpgWindowResult> onResult, int capacity, PpgTrackerOptions tracker) => new(groupBy, onResult, capacity, tracker);

        public long BatchesProcessed => _graph.BatchesProcessed;

        public ValueTask PostAsync(PpgSampleBatch batch, CancellationToken ct) => _graph.PostAsync(batch, ct);

        public Task CompleteAsync() => _graph.CompleteAsync();

        public async ValueTask DisposeAsync()
        {
            await CompleteAsync().ConfigureAwait(false);
            await _system.Terminate().ConfigureAwait(false);
            _system.Dispose();
        }
    }
}
