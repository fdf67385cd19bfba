using Akka.Streams;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Vigil.Ppg;
using Vigil.Ppg.Bench;
using Vigil.Ppg.Evaluation;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil ppg eval|bench</c>: wrist PPG heart rate on recorded data, and the scale benchmark.</summary>
internal static class PpgCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            Console.Error.WriteLine("usage: vigil ppg eval --data DIR [--out FILE.csv] [--json]");
            Console.Error.WriteLine("       vigil ppg bench [--streams N] [--seconds S] [--batch-seconds B] [--graph lanes|groupby] [--json]");
            return args.Length == 0 ? 2 : 0;
        }
        var rest = args[1..];
        // Bad recordings (PpgInputException) end in Program's one-line error, exit 2.
        return args[0] switch
        {
            "eval" => await EvalAsync(new CommandArguments(rest, "json")),
            "bench" => await BenchAsync(new CommandArguments(rest, "json")),
            _ => throw new CommandLineException($"unknown subcommand '{args[0]}' (eval, bench)"),
        };
    }

    private static async Task<int> EvalAsync(CommandArguments a)
    {
        var data = a.Require("data");
        var outPath = a.Get("out");
        var json = a.Flag("json");
        a.RejectUnknown();
        // One ActorSystem for the command, as a host would have: every recording runs on its materializer.
        using var system = PpgPipelineRunner.CreateSystem("vigil-ppg-eval");
        var materializer = system.Materializer();
        PpgEvaluation evaluation;
        try
        {
            evaluation = await PpgEvaluator.EvaluateDirectoryAsync(data,
                (rec, ct) => PpgPipelineRunner.RunRecordingAsync(rec, materializer: materializer, cancellationToken: ct));
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
        var options = new PpgBenchOptions(a.GetInt("streams", 1000), a.GetDouble("seconds", 30), BatchSeconds: a.GetDouble("batch-seconds", 0.5), Graph: a.Get("graph") ?? "lanes");
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
            w.WriteNumber("paced_realtime_factor", Math.Round(r.PacedRealtimeFactor, 3));
            w.WriteNumber("p50_result_latency_ms", Math.Round(r.P50ResultLatencyMs, 1));
            w.WriteNumber("p99_result_latency_ms", Math.Round(r.P99ResultLatencyMs, 1));
            w.WriteNumber("max_result_latency_ms", Math.Round(r.MaxResultLatencyMs, 1));
            w.WriteNumber("bytes_per_stream", Math.Round(r.BytesPerStream));
            w.WriteNumber("state_bytes_per_stream", Math.Round(r.StateBytesPerStream));
            w.WriteNumber("windows", r.Windows);
            w.WriteNumber("single_stream_windows_per_s_per_core", Math.Round(r.SingleStreamWindowsPerSecond));
            w.WriteNumber("graph_windows_per_core_s", Math.Round(r.GraphWindowsPerCoreSecond));
            // Derived: capacity if the process had every core to itself (windows per CPU second × cores
            // over the windows N streams need per second, one per 2 s hop each).
            w.WriteNumber("cpu_bound_realtime_factor", Math.Round(r.GraphWindowsPerCoreSecond * r.Cores / (r.Streams * 0.5), 3));
            w.WriteNumber("load_average_1m", r.LoadAverage);
            w.WriteEndObject();
        }
        Console.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
        return 0;
    }

    private static void WriteWindows(string path, PpgEvaluation evaluation)
    {
        var sb = new StringBuilder("recording,window_start_s,window_end_s,bpm,confidence,status,bpm_ref\n");
        foreach (var rec in evaluation.Recordings)
            foreach (var w in rec.Scored)
                sb.Append(CultureInfo.InvariantCulture,
                    $"{rec.Name},{w.Result.WindowStartSeconds:0.###},{w.Result.WindowEndSeconds:0.###},{w.Result.Bpm:0.###},{w.Result.Confidence:0.####},{w.Result.Status.ToWire()},{w.ReferenceBpm:0.###}\n");
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
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteNumber("mean_mae_bpm", Math.Round(evaluation.MeanMaeBpm, 4));
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string ToTable(PpgEvaluation evaluation)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"{"recording",-22} {"windows",7} {"mae_bpm",8} {"mae_ok",8} {"cov_ok",7}");
        foreach (var r in evaluation.Recordings)
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"{r.Name,-22} {r.Windows,7} {r.MaeBpm,8:0.00} {(r.MaeOkBpm is { } ok ? ok.ToString("0.00", CultureInfo.InvariantCulture) : "-"),8} {r.CoverageOk,7:0.00}");
        sb.Append(CultureInfo.InvariantCulture, $"mean MAE over {evaluation.Recordings.Count} recordings: {evaluation.MeanMaeBpm:0.000} BPM");
        return sb.ToString();
    }
}
