using Akka.Streams;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Vigil.Ppg;
using Vigil.Ppg.Bench;
using Vigil.Ppg.Evaluation;
using Vigil.Ppg.Tracking;
using Vigil.Ppg.Training;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil ppg eval|bench|train</c>: wrist PPG heart rate on recorded data, the scale benchmark, and training of the learned refinement.</summary>
internal static class PpgCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            Console.Error.WriteLine("usage: vigil ppg eval --data DIR [--out FILE.csv] [--refinement CARD|none] [--json]");
            Console.Error.WriteLine("       vigil ppg bench [--streams N] [--seconds S] [--batch-seconds B] [--graph lanes|groupby] [--phase hop|batch] [--one-phase] [--refinement CARD|none] [--json]");
            Console.Error.WriteLine("       vigil ppg train --data DIR --out CARD [--seed N] [--epochs N] [--generated N] [--loso]");
            Console.Error.WriteLine($"       (--refinement defaults to {DefaultCard} when it exists)");
            return args.Length == 0 ? 2 : 0;
        }
        var rest = args[1..];
        // Bad recordings (PpgInputException) end in Program's one-line error, exit 2.
        return args[0] switch
        {
            "eval" => await EvalAsync(new CommandArguments(rest, "json")),
            "bench" => await BenchAsync(new CommandArguments(rest, "json", "one-phase")),
            "train" => Train(new CommandArguments(rest, "loso")),
            _ => throw new CommandLineException($"unknown subcommand '{args[0]}' (eval, bench, train)"),
        };
    }

    private static async Task<int> EvalAsync(CommandArguments a)
    {
        var data = a.Require("data");
        var outPath = a.Get("out");
        var json = a.Flag("json");
        var tracker = TrackerOptions(a);
        a.RejectUnknown();
        // One ActorSystem for the command, as a host would have: every recording runs on its materializer.
        using var system = PpgPipelineRunner.CreateSystem("vigil-ppg-eval");
        var materializer = system.Materializer();
        PpgEvaluation evaluation;
        try
        {
            evaluation = await PpgEvaluator.EvaluateDirectoryAsync(data,
                (rec, ct) => PpgPipelineRunner.RunRecordingAsync(rec, tracker, materializer: materializer, cancellationToken: ct));
        }
        finally
        {
            await system.Terminate();
        }
        if (outPath is not null) WriteWindows(outPath, evaluation);
        Console.WriteLine(json ? ToJson(evaluation) : ToTable(evaluation));
        return 0;
    }

    // The stream engine the graphs run on, named in benchmark output.
    internal static string Engine => $"Akka.Streams {typeof(Akka.Streams.ActorMaterializer).Assembly.GetName().Version?.ToString(3)}";

    private static async Task<int> BenchAsync(CommandArguments a)
    {
        var tracker = TrackerOptions(a);
        var options = new PpgBenchOptions(a.GetInt("streams", 1000), a.GetDouble("seconds", 30), BatchSeconds: a.GetDouble("batch-seconds", 0.5), Graph: a.Get("graph") ?? "lanes")
        {
            Tracker = tracker,
            Phase = a.Get("phase") ?? "hop",
            BothPhases = !a.Flag("one-phase"),
        };
        if (options.Phase is not ("hop" or "batch")) throw new CommandLineException($"--phase must be 'hop' or 'batch', not '{options.Phase}'");
        var json = a.Flag("json");
        a.RejectUnknown();
        var r = await PpgBenchmark.RunAsync(options, Console.Error);
        if (!json)
        {
            Console.WriteLine(FormattableString.Invariant(
                $"{r.Streams} streams x {r.Seconds} s: realtime_factor {r.RealtimeFactor:0.00}, p99 latency {r.P99ResultLatencyMs:0} ms, {r.BytesPerStream:0} B/stream, single stream {r.SingleStreamWindowsPerSecond:0} windows/s"));
            return 0;
        }
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("engine", Engine);
            w.WriteNumber("streams", r.Streams);
            w.WriteNumber("seconds", r.Seconds);
            w.WriteString("graph", r.Graph);
            w.WriteNumber("cores", r.Cores);
            w.WriteNumber("batch_seconds", r.BatchSeconds);
            w.WriteNumber("realtime_factor", Math.Round(r.RealtimeFactor, 3));
            var other = r.Graph == "groupby" ? "lanes_realtime_factor" : "groupby_realtime_factor";
            if (double.IsFinite(r.OtherGraphRealtimeFactor))
            {
                w.WriteNumber(other, Math.Round(r.OtherGraphRealtimeFactor, 3));
                w.WriteNumber("graph_ratio", Math.Round(r.RealtimeFactor / r.OtherGraphRealtimeFactor, 3));
            }
            else w.WriteNull(other);
            w.WriteString("phase", r.Phase);
            w.WriteNumber("paced_realtime_factor", Math.Round(r.PacedRealtimeFactor, 3));
            w.WriteNumber("p50_result_latency_ms", Math.Round(r.P50ResultLatencyMs, 1));
            w.WriteNumber("p99_result_latency_ms", Math.Round(r.P99ResultLatencyMs, 1));
            w.WriteNumber("max_result_latency_ms", Math.Round(r.MaxResultLatencyMs, 1));
            w.WriteNumber("p50_upload_wait_ms", Math.Round(r.UploadWaitMs.P50, 1));
            w.WriteNumber("p99_upload_wait_ms", Math.Round(r.UploadWaitMs.P99, 1));
            w.WriteNumber("p50_engine_latency_ms", Math.Round(r.EngineLatencyMs.P50, 1));
            w.WriteNumber("p99_engine_latency_ms", Math.Round(r.EngineLatencyMs.P99, 1));
            w.WriteNumber("paced_gc_gen0", r.PacedGc.Gen0);
            w.WriteNumber("paced_gc_gen1", r.PacedGc.Gen1);
            w.WriteNumber("paced_gc_gen2", r.PacedGc.Gen2);
            w.WriteNumber("paced_gc_pause_ms", Math.Round(r.PacedGc.PauseMs, 1));
            if (r.OtherPhase is { } o)
            {
                // The same paced run with the other spread of stream starts (hop: independent patients; batch: all started together).
                w.WriteStartObject("other_phase");
                w.WriteString("phase", o.Phase);
                w.WriteNumber("paced_realtime_factor", Math.Round(o.PacedRealtimeFactor, 3));
                w.WriteNumber("p50_result_latency_ms", Math.Round(o.P50ResultLatencyMs, 1));
                w.WriteNumber("p99_result_latency_ms", Math.Round(o.P99ResultLatencyMs, 1));
                w.WriteNumber("max_result_latency_ms", Math.Round(o.MaxResultLatencyMs, 1));
                w.WriteNumber("p99_engine_latency_ms", Math.Round(o.EngineP99Ms, 1));
                w.WriteNumber("windows", o.Windows);
                w.WriteEndObject();
            }
            w.WriteNumber("bytes_per_stream", Math.Round(r.BytesPerStream));
            w.WriteNumber("state_bytes_per_stream", Math.Round(r.StateBytesPerStream));
            w.WriteNumber("windows", r.Windows);
            w.WriteNumber("single_stream_windows_per_s_per_core", Math.Round(r.SingleStreamWindowsPerSecond));
            w.WriteNumber("graph_windows_per_core_s", Math.Round(r.GraphWindowsPerCoreSecond));
            // Derived: capacity if the process had every core to itself (windows per CPU second × cores
            // over the windows N streams need per second, one per 2 s hop each).
            w.WriteNumber("cpu_bound_realtime_factor", Math.Round(r.GraphWindowsPerCoreSecond * r.Cores / (r.Streams * 0.5), 3));
            w.WriteString("refinement", tracker.Refinement?.Provenance);
            w.WriteNumber("refinement_us_per_window", Math.Round(r.RefinementMicrosecondsPerWindow, 2));
            w.WriteNumber("window_us_without_refinement", Math.Round(r.WindowMicrosecondsWithoutRefinement, 2));
            w.WriteNumber("window_us_with_refinement", Math.Round(r.WindowMicroseconds, 2));
            w.WriteNumber("load_average_1m", r.LoadAverage);
            w.WriteEndObject();
        }
        Console.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
        return 0;
    }

    private static string DefaultCard => Path.Combine(RepositoryPaths.Root, "models", "ppg-refinement.card.json");

    // --refinement CARD, or none; by default the shipped card when it is there.
    private static PpgTrackerOptions TrackerOptions(CommandArguments a)
    {
        var card = a.Get("refinement");
        if (card is "none") return PpgTrackerOptions.Default;
        card ??= File.Exists(DefaultCard) ? DefaultCard : null;
        return card is null ? PpgTrackerOptions.Default : PpgTrackerOptions.Default with { Refinement = PpgRefinementModel.Load(card) };
    }

    private static int Train(CommandArguments a)
    {
        var data = a.Require("data");
        var output = a.Require("out");
        var options = new RefinementTrainingOptions(Seed: a.GetInt("seed", 1), Epochs: a.GetInt("epochs", 40));
        var generated = a.GetInt("generated", 84);
        var loso = a.Flag("loso");
        a.RejectUnknown();
        if (options.Epochs < 1 || generated < 0) throw new CommandLineException("--epochs must be ≥ 1 and --generated ≥ 0");
        var run = RefinementTraining.Run(data, output, options, generated, loso, Console.Error);
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"card: {run.CardPath}  ({run.TrainWindows} training windows)");
        sb.AppendLine(CultureInfo.InvariantCulture, $"tracker alone: mean MAE {run.Baseline.MeanMaeBpm:0.000} BPM, coverage {run.Baseline.Coverage:P1}");
        if (run.Loso is { } l)
        {
            sb.AppendLine(ToTable(l));
            sb.Append(CultureInfo.InvariantCulture, $"leave-one-subject-out with refinement: mean MAE {l.MeanMaeBpm:0.000} (reported windows {l.MeanMaeReportedBpm:0.000}, worst {l.MaxMaeReportedBpm:0.00}), coverage {l.Coverage:P1}");
        }
        Console.WriteLine(sb.ToString());
        return 0;
    }

    private static void WriteWindows(string path, PpgEvaluation evaluation)
    {
        var sb = new StringBuilder("recording,window_start_s,window_end_s,bpm,confidence,status,reason,bpm_ref\n");
        foreach (var rec in evaluation.Recordings)
            foreach (var w in rec.Scored)
                sb.Append(CultureInfo.InvariantCulture,
                    $"{rec.Name},{w.Result.WindowStartSeconds:0.###},{w.Result.WindowEndSeconds:0.###},{w.Result.Bpm:0.###},{w.Result.Confidence:0.####},{w.Result.Status.ToWire()},\"{w.Result.Reason?.Replace("\"", "'")}\",{w.ReferenceBpm:0.###}\n");
        File.WriteAllText(path, sb.ToString());
    }

    private static string ToJson(PpgEvaluation evaluation)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartArray("recordings");
            foreach (var r in evaluation.Recordings)
            {
                w.WriteStartObject();
                w.WriteString("name", r.Name);
                w.WriteNumber("windows", r.Windows);
                w.WriteNumber("mae_bpm", Math.Round(r.MaeBpm, 4));
                if (r.MaeOkBpm is { } ok) w.WriteNumber("mae_ok_bpm", Math.Round(ok, 4)); else w.WriteNull("mae_ok_bpm");
                w.WriteNumber("coverage_ok", Math.Round(r.CoverageOk, 4));
                w.WriteNumber("coverage", Math.Round(r.Coverage, 4));
                if (r.MaeReportedBpm is { } rep) w.WriteNumber("mae_reported_bpm", Math.Round(rep, 4)); else w.WriteNull("mae_reported_bpm");
                w.WriteStartObject("withheld");
                foreach (var (reason, count) in r.WithheldByReason) w.WriteNumber(reason, count);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteNumber("mean_mae_bpm", Math.Round(evaluation.MeanMaeBpm, 4));
            w.WriteNumber("mean_mae_reported_bpm", Math.Round(evaluation.MeanMaeReportedBpm, 4));
            w.WriteNumber("max_mae_reported_bpm", Math.Round(evaluation.MaxMaeReportedBpm, 4));
            w.WriteNumber("coverage", Math.Round(evaluation.Coverage, 4));
            if (evaluation.Recordings.Count > 0) w.WriteString("provenance", evaluation.Recordings[0].Scored.FirstOrDefault()?.Result.Provenance.Split(" input=")[0]);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string ToTable(PpgEvaluation evaluation)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"{"recording",-22} {"windows",7} {"mae_bpm",8} {"mae_rep",8} {"cover",6} {"mae_ok",8} {"cov_ok",7}");
        foreach (var r in evaluation.Recordings)
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"{r.Name,-22} {r.Windows,7} {r.MaeBpm,8:0.00} {r.MaeReportedBpm ?? double.NaN,8:0.00} {r.Coverage,6:0.00} {(r.MaeOkBpm is { } ok ? ok.ToString("0.00", CultureInfo.InvariantCulture) : "-"),8} {r.CoverageOk,7:0.00}");
        sb.Append(CultureInfo.InvariantCulture, $"mean MAE over {evaluation.Recordings.Count} recordings: {evaluation.MeanMaeBpm:0.000} BPM (reported windows {evaluation.MeanMaeReportedBpm:0.000}, worst {evaluation.MaxMaeReportedBpm:0.00}); coverage {evaluation.Coverage:P1}");
        return sb.ToString();
    }
}
