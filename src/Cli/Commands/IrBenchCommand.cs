using System.Text.Json;
using Akka.Actor;
using Akka.Streams;
using Vigil.Infrared.Breathing;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil ir bench</c>: frames/s per camera of the thermal breathing chain on CPU, with and without the face detector, side by side.</summary>
internal static class IrBenchCommand
{
    public const string Usage = "bench [--cameras 4] [--seconds 60] [--fps 10] [--width 160 --height 120] [--json]";

    public static async Task<int> RunAsync(string[] args)
    {
        var a = new CommandArguments(args, "json");
        var cameras = a.GetInt("cameras", 4);
        var seconds = a.GetDouble("seconds", 60);
        var fps = a.GetDouble("fps", 10);
        var width = a.GetInt("width", 160);
        var height = a.GetInt("height", 120);
        var json = a.Flag("json");
        a.RejectUnknown();
        using var system = ActorSystem.Create("vigil-ir-bench", "akka.loglevel = OFF\nakka.stdout-loglevel = OFF");
        IReadOnlyList<BreathingBenchmark.ChainResult> results;
        try
        {
            results = await BreathingBenchmark.RunAsync(system.Materializer(), cameras, seconds, fps, width, height, Console.Error);
        }
        finally
        {
            await system.Terminate();
        }
        var detector = results.Single(r => r.Chain == "warm-region-detector");
        var known = results.Single(r => r.Chain == "known-geometry");
        if (!json)
        {
            foreach (var r in results)
                Console.WriteLine(FormattableString.Invariant($"{r.Chain,-22} slowest camera {r.PerCameraFps.Min(),8:0} frames/s, all cameras {r.AggregateFps,8:0} frames/s"));
            Console.WriteLine(FormattableString.Invariant($"detector chain / known-geometry chain: {detector.PerCameraFps.Min() / known.PerCameraFps.Min():0.00}; floor 30 frames/s per camera: {(detector.PerCameraFps.Min() >= 30 ? "met" : "NOT met")}"));
            return 0;
        }
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("engine", PpgCommand.Engine);
            w.WriteNumber("cores", Environment.ProcessorCount);
            w.WriteString("resolution", $"{width}x{height}");
            w.WriteNumber("cameras", cameras);
            w.WriteNumber("seconds_per_camera", seconds);
            w.WriteNumber("camera_fps", fps);
            w.WriteStartArray("chains");
            foreach (var r in results)
            {
                w.WriteStartObject();
                w.WriteString("chain", r.Chain);
                w.WriteNumber("min_camera_fps", Math.Round(r.PerCameraFps.Min(), 1));
                w.WriteNumber("mean_camera_fps", Math.Round(r.PerCameraFps.Average(), 1));
                w.WriteNumber("aggregate_fps", Math.Round(r.AggregateFps, 1));
                w.WriteNumber("wall_seconds", Math.Round(r.Seconds, 3));
                w.WriteNumber("windows", r.Windows);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteNumber("detector_over_known_geometry_fps_ratio", Math.Round(detector.PerCameraFps.Min() / known.PerCameraFps.Min(), 3));
            w.WriteNumber("floor_fps_per_camera", 30);
            w.WriteBoolean("floor_met", detector.PerCameraFps.Min() >= 30);
            w.WriteEndObject();
        }
        Console.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
        return 0;
    }
}
