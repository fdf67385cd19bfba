using System.Text.Json;
using Akka.Actor;
using Akka.Streams;
using Vigil.Infrared.Breathing;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil ir bench</c>: frames/s per camera of the thermal breathing chain on CPU, with and without the face detector, side by side.</summary>
internal static class IrBenchCommand
{
    public const string Usage = "bench [--cameras 4] [--seconds 60] [--fps 10] [--width 160 --height 120] [--face-card CARD.json] [--detect-every 1] [--json]";

    public static async Task<int> RunAsync(string[] args)
    {
        var a = new CommandArguments(args, "json");
        var cameras = a.GetInt("cameras", 4);
        var seconds = a.GetDouble("seconds", 60);
        var fps = a.GetDouble("fps", 10);
        var width = a.GetInt("width", 160);
        var height = a.GetInt("height", 120);
        var faceCard = a.Get("face-card") ?? IrBreathingCommand.CenternetCard;
        var detectEvery = a.GetInt("detect-every", 1);
        var json = a.Flag("json");
        a.RejectUnknown();
        if (detectEvery < 1) throw new CommandLineException($"--detect-every must be at least 1, not {detectEvery}");
        if (!File.Exists(faceCard)) throw new CommandLineException($"--face-card: '{faceCard}' not found");
        using var system = ActorSystem.Create("vigil-ir-bench", "akka.loglevel = OFF\nakka.stdout-loglevel = OFF");
        IReadOnlyList<BreathingBenchmark.ChainResult> results;
        try
        {
            results = await BreathingBenchmark.RunAsync(system.Materializer(), cameras, seconds, fps, width, height, Console.Error, faceCard, detectEvery);
        }
        finally
        {
            await system.Terminate();
        }
        var warm = results.Single(r => r.Chain == BreathingBenchmark.WarmRegionChain);
        var adapted = results.Single(r => r.Chain == BreathingBenchmark.CardChain);
        var known = results.Single(r => r.Chain == "known-geometry");
        const double floor = 30;
        if (!json)
        {
            foreach (var r in results)
                Console.WriteLine(FormattableString.Invariant($"{r.Chain,-22} slowest camera {r.PerCameraFps.Min(),8:0} frames/s, all cameras {r.AggregateFps,8:0} frames/s"));
            foreach (var d in new[] { adapted, warm })
                Console.WriteLine(FormattableString.Invariant($"{d.Chain} / known-geometry chain: {d.PerCameraFps.Min() / known.PerCameraFps.Min():0.00}; floor {floor} frames/s per camera: {(d.PerCameraFps.Min() >= floor ? "met" : "NOT met")}"));
            Console.WriteLine(FormattableString.Invariant($"{adapted.Chain} / {warm.Chain}: {adapted.PerCameraFps.Min() / warm.PerCameraFps.Min():0.00}"));
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
            w.WriteString("face_card", faceCard);
            w.WriteNumber("detect_every", detectEvery);
            w.WriteNumber("centernet_over_known_geometry_fps_ratio", Math.Round(adapted.PerCameraFps.Min() / known.PerCameraFps.Min(), 3));
            w.WriteNumber("warm_region_over_known_geometry_fps_ratio", Math.Round(warm.PerCameraFps.Min() / known.PerCameraFps.Min(), 3));
            w.WriteNumber("centernet_over_warm_region_fps_ratio", Math.Round(adapted.PerCameraFps.Min() / warm.PerCameraFps.Min(), 3));
            w.WriteNumber("floor_fps_per_camera", floor);
            w.WriteBoolean("floor_met_centernet", adapted.PerCameraFps.Min() >= floor);
            w.WriteBoolean("floor_met_warm_region", warm.PerCameraFps.Min() >= floor);
            w.WriteBoolean("floor_met", adapted.PerCameraFps.Min() >= floor && warm.PerCameraFps.Min() >= floor);
            w.WriteEndObject();
        }
        Console.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
        return 0;
    }
}
