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
    /// <summary>
    /// How the streams' start instants are spread: <c>hop</c> (default) spreads them evenly over one
    /// window hop, as patients who connected at unrelated times (their windows complete evenly
    /// through every hop); <c>batch</c> puts every start within one upload period, as if every
    /// device had been switched on in the same half second (every stream completes its window in
    /// the same 0.5 s of each hop: the worst case).
    /// </summary>
    public string Phase { get; init; } = "hop";

    /// <summary>Also run the paced run with the other <see cref="Phase"/>, and report it beside the first.</summary>
    public bool BothPhases { get; init; } = true;

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

    /// <summary>Microseconds per window of one tracker on one core with the tracker settings of the run (refinement on when given).</summary>
    public double WindowMicroseconds { get; init; }

    /// <summary>How stream starts were spread in the paced run (<c>hop</c> or <c>batch</c>).</summary>
    public string Phase { get; init; } = "hop";

    /// <summary>The paced run with the other phase spread (null when not run).</summary>
    public PpgPacedRun? OtherPhase { get; init; }

    /// <summary>Median and 99th percentile (ms) of the upload wait: a window's last sample waiting for the end of its device batch.</summary>
    public (double P50, double P99) UploadWaitMs { get; init; }

    /// <summary>Median and 99th percentile (ms) of the engine's part: from the batch's due post instant to the result.</summary>
    public (double P50, double P99) EngineLatencyMs { get; init; }

    /// <summary>Gen 0/1/2 collections and the total GC pause (ms) during the paced run.</summary>
    public (int Gen0, int Gen1, int Gen2, double PauseMs) PacedGc { get; init; }
}

/// <summary>One paced run's figures (for the second phase spread reported beside the first).</summary>
/// <param name="Phase"><c>hop</c> or <c>batch</c>.</param>
/// <param name="PacedRealtimeFactor">Signal seconds over wall seconds (≈ 1 when keeping up).</param>
/// <param name="P50ResultLatencyMs">Median latency from a window's last sample to its result.</param>
/// <param name="P99ResultLatencyMs">99th percentile of that latency.</param>
/// <param name="MaxResultLatencyMs">Largest latency.</param>
/// <param name="Windows">Windows produced.</param>
public sealed record PpgPacedRun(string Phase, double PacedRealtimeFactor, double P50ResultLatencyMs, double P99ResultLatencyMs, double MaxResultLatencyMs, long Windows)
{
    /// <summary>99th percentile of the engine's part of the latency (post to result), ms.</summary>
    public double EngineP99Ms { get; init; }
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
        if (options.Phase is not ("hop" or "batch")) throw new ArgumentException($"phase must be 'hop' or 'batch', not '{options.Phase}'.");
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
        progress?.WriteLine($"ppg bench: paced run ({options.Graph}, starts spread over one {options.Phase}), {options.Streams} streams x {options.Seconds} s at real time...");
        var spread = Spread(options.Phase, options.Tracker, batchSeconds);
        var paced = await PacedAsync(source, ids, batchN, batchesPerStream, spread, useStreams, options.Tracker, cancellationToken).ConfigureAwait(false);
        progress?.WriteLine($"ppg bench: p99 latency {paced.P99:0} ms (GC gen0/1/2 {paced.Gc.Gen0}/{paced.Gc.Gen1}/{paced.Gc.Gen2}, pauses {paced.Gc.PauseMs:0} ms)");
        PpgPacedRun? other = null;
        if (options.BothPhases)
        {
            var otherPhase = options.Phase == "hop" ? "batch" : "hop";
            progress?.WriteLine($"ppg bench: paced run with starts spread over one {otherPhase}...");
            var o = await PacedAsync(source, ids, batchN, batchesPerStream, Spread(otherPhase, options.Tracker, batchSeconds), useStreams, options.Tracker, cancellationToken).ConfigureAwait(false);
            other = new PpgPacedRun(otherPhase, o.Rtf, o.P50, o.P99, o.Max, o.Windows) { EngineP99Ms = o.EngineP99 };
            progress?.WriteLine($"ppg bench: p99 latency {o.P99:0} ms ({otherPhase})");
        }
        progress?.WriteLine("ppg bench: capacity runs...");
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
            paced.Rtf, paced.P50, paced.P99, paced.Max, paced.BytesPerStream, paced.StatePerStream, paced.Windows,
            single, graphPerCore, MachineLoad.OneMinuteAverage())
        {
            RefinementMicrosecondsPerWindow = refinementUs,
            WindowMicrosecondsWithoutRefinement = 1e6 / bare,
            WindowMicroseconds = 1e6 / single,
            Phase = options.Phase,
            OtherPhase = other,
            PacedGc = paced.Gc,
            UploadWaitMs = (paced.UploadWaitP50, paced.UploadWaitP99),
            EngineLatencyMs = (paced.EngineP50, paced.EngineP99),
        };
    }

    // Stream start offsets are spread evenly over this many seconds.
    private static double Spread(string phase, PpgTrackerOptions tracker, double batchSeconds) => phase == "hop" ? tracker.HopSeconds : batchSeconds;

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

    private sealed record Paced(double Rtf, double P50, double P99, double Max, double BytesPerStream, double StatePerStream, long Windows,
        (int Gen0, int Gen1, int Gen2, double PauseMs) Gc, double UploadWaitP50, double UploadWaitP99, double EngineP50, double EngineP99);

    // Stream s starts at phase[s] (spread evenly over `spread` seconds). Its device uploads every
    // batch period on its own clock, from an offset u[s] in (0, batch] (spread evenly, unrelated to the
    // window grid, as a real device's upload timer is): batch k ends at u[s] + k·batch. A batch is
    // posted when its last sample is due in real time. Latency runs from a window's last sample's
    // instant to its result, and is split into the upload wait (that sample waiting for the end of
    // its batch: up to one batch period, the device's doing) and the engine's part (post to result).
    private static async Task<Paced> PacedAsync(PpgRecording source, string[] ids, int batchN, int batches, double spread, bool streams, PpgTrackerOptions tracker, CancellationToken ct)
    {
        var n = ids.Length;
        var fs = source.SampleRateHz;
        var batchSeconds = batchN / fs;
        var signalSeconds = batches * batchSeconds;
        var capacity = (long)n * ((int)((signalSeconds - 8) / 2) + 2);
        var latencies = new double[capacity];
        var waits = new double[capacity];
        long count = 0;
        var phase = new double[n];
        var upload = new double[n];
        for (var s = 0; s < n; s++)
        {
            phase[s] = spread * s / n;
            // Golden-ratio sequence: upload offsets evenly spread and unrelated to the start phases.
            upload[s] = batchSeconds * (1 - (s * 0.6180339887498949 % 1.0));
        }
        // End (exclusive sample index) of stream s's batch k; the last batch ends at the signal's end.
        var total = (int)Math.Round(signalSeconds * fs);
        int Cut(int s, int k) => Math.Min(total, (int)Math.Round((upload[s] + k * batchSeconds) * fs));
        var batchCount = new int[n];
        for (var s = 0; s < n; s++) { var k = 0; while (Cut(s, k) < total) k++; batchCount[s] = k + 1; }
        var index = new Dictionary<string, int>(n);
        for (var s = 0; s < n; s++) index[ids[s]] = s;
        GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();
        var before = GC.GetTotalMemory(true);
        int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
        var pause0 = GC.GetTotalPauseDuration();
        var clock = Stopwatch.StartNew();
        double bytesPerStream = 0, statePerStream = 0;
        await using var pipeline = Graph.Create(streams, r =>
        {
            // The window's last sample is sample j = WindowEnd·fs − 1 on the stream's clock; it is
            // posted with the first batch whose end is past it.
            var s = index[r.PatientId];
            var j = (int)Math.Round(r.WindowEndSeconds * fs) - 1;
            var k = Math.Max(0, (int)Math.Floor(((j + 1) / fs - upload[s]) / batchSeconds));
            while (k > 0 && Cut(s, k - 1) > j) k--;
            while (Cut(s, k) <= j) k++;
            var due = phase[s] + j / fs;
            var i = Interlocked.Increment(ref count) - 1;
            if (i < latencies.Length)
            {
                latencies[i] = clock.Elapsed.TotalSeconds - due;
                waits[i] = (Cut(s, k) - 1 - j) / fs;
            }
        }, 1 << 16, tracker);
        // Post in due order (a heap of each stream's next batch): wake every few milliseconds and post whatever is due.
        var next = new PriorityQueue<(int Stream, int Batch), double>(n);
        for (var s = 0; s < n; s++) next.Enqueue((s, 0), phase[s] + (Cut(s, 0) - 1) / fs);
        long posted = 0;
        while (next.TryDequeue(out var item, out var due))
        {
            var (s, k) = item;
            while (due > clock.Elapsed.TotalSeconds) await Task.Delay(TimeSpan.FromMilliseconds(4), ct).ConfigureAwait(false);
            var from = k == 0 ? 0 : Cut(s, k - 1);
            await pipeline.PostAsync(MakeRange(source, s, from, Cut(s, k) - from, ids[s]), ct).ConfigureAwait(false);
            posted++;
            if (k + 1 < batchCount[s]) next.Enqueue((s, k + 1), phase[s] + (Cut(s, k + 1) - 1) / fs);
        }
        while (pipeline.BatchesProcessed < posted) await Task.Delay(TimeSpan.FromMilliseconds(5), ct).ConfigureAwait(false);
        var wall = clock.Elapsed.TotalSeconds;
        var gc = (GC.CollectionCount(0) - gen0, GC.CollectionCount(1) - gen1, GC.CollectionCount(2) - gen2, (GC.GetTotalPauseDuration() - pause0).TotalMilliseconds);
        // Real time would end with the last-starting stream's last sample.
        var rtf = (signalSeconds + phase[n - 1]) / wall;
        // Every patient is live and the queues are drained: what remains is per-stream state.
        bytesPerStream = (double)(GC.GetTotalMemory(true) - before) / n;
        statePerStream = new PatientPpgTracker("size", 2, tracker, sampleRateHz: fs).StateBytes;
        await pipeline.CompleteAsync().ConfigureAwait(false);
        var m = (int)Math.Min(count, latencies.Length);
        var engine = new double[m];
        for (var i = 0; i < m; i++) engine[i] = latencies[i] - waits[i];
        Array.Sort(latencies, 0, m);
        Array.Sort(waits, 0, m);
        Array.Sort(engine);
        double Pct(double[] xs, double p) => m == 0 ? double.NaN : 1000 * xs[Math.Min(m - 1, (int)(p * m))];
        GC.KeepAlive(pipeline);
        return new Paced(rtf, Pct(latencies, 0.5), Pct(latencies, 0.99), m == 0 ? double.NaN : 1000 * latencies[m - 1], bytesPerStream, statePerStream, count, gc,
            Pct(waits, 0.5), Pct(waits, 0.99), Pct(engine, 0.5), Pct(engine, 0.99));
    }

    private static PpgSampleBatch MakeBatch(PpgRecording source, int stream, int batch, int batchN, string id) =>
        MakeRange(source, stream, batch * batchN, batchN, id);

    // Samples [from, from + batchN) of stream s.
    private static PpgSampleBatch MakeRange(PpgRecording source, int stream, int from, int batchN, string id)
    {
        // Stream s replays the source from its own offset (wrapping), on its own time axis from 0.
        var offset = (int)((long)stream * 7919 % source.Count);
        var t = new double[batchN];
        var ppg = new[] { new float[batchN], new float[batchN] };
        float[] x = new float[batchN], y = new float[batchN], z = new float[batchN];
        for (var i = 0; i < batchN; i++)
        {
            var k = from + i;
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
