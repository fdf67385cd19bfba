using System.Globalization;
using Akka.Actor;
using Akka.Streams;
using Vigil.Cli.Benchmarks;
using Vigil.Video.Backbone;
using Vigil.Video.Reporting;
using Vigil.Video.Training;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil video run</c> and <c>vigil video bench</c>: action segments and heat maps per video, and the throughput benchmark.</summary>
internal static class VideoRunCommand
{
    private static readonly string[] VideoExtensions = [".mp4", ".avi", ".mkv", ".mov", ".webm", ".mpg", ".mpeg", ".m4v", ".gif"];

    public static async Task<int> RunAsync(CommandArguments a)
    {
        var input = a.Require("input");
        var outDir = a.Require("out");
        var model = a.Get("model");
        var fps = a.GetDouble("fps", 8);
        var backboneName = a.Get("backbone");
        var overlay = a.Get("overlay") switch
        {
            null or "png" => false,
            "mp4" => true,
            var other => throw new CommandLineException($"--overlay must be png or mp4, got '{other}'"),
        };
        a.RejectUnknown();
        if (fps <= 0 || !double.IsFinite(fps)) throw new CommandLineException($"--fps must be a positive number, got {fps}");
        var inputs = Directory.Exists(input)
            ? Directory.GetFiles(input).Where(f => VideoExtensions.Contains(Path.GetExtension(f).ToLowerInvariant())).Order(StringComparer.Ordinal).ToList()
            : File.Exists(input) ? [input] : throw new CommandLineException($"--input {input}: no such file or folder");
        if (inputs.Count == 0) throw new CommandLineException($"--input {input}: no video files in the folder");
        var card = model ?? (File.Exists(VideoCommand.DefaultCard) ? VideoCommand.DefaultCard : null);
        using var adapter = card is null ? null : TorchActionAdapter.Load(card);
        var identity = adapter?.Card is { } c
            ? new AdapterIdentity(c.Id, c.Version, c.Sha256, string.Join(", ", (c.Training?.Metrics ?? new Dictionary<string, double>()).Where(m => m.Key.StartsWith("eval_", StringComparison.Ordinal)).Select(m => FormattableString.Invariant($"{m.Key}={m.Value}"))), adapter.Config.BackboneSha256, c.NotForClinicalUse)
            : null;
        // The backbone: --backbone (vittrack, resnet18 or a path), else the one the adapter card was trained on.
        using var backbone = VideoCommand.OpenBackbone(backboneName ?? adapter?.Config.Backbone);
        using var system = ActorSystem.Create("vigil-video-run", "akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING");
        var failures = 0;
        try
        {
            foreach (var file in inputs)
            {
                var target = inputs.Count == 1 && !Directory.Exists(input) ? outDir : Path.Combine(outDir, OutputName(file, inputs));
                try
                {
                    var report = await VideoAnalysis.RunAsync(file, backbone, adapter, identity, fps, target, system.Materializer(), overlayVideo: overlay);
                    var what = report.WithheldReason is { } why ? $"segments withheld: {why}" : $"{report.Segments.Count} segments ({string.Join(", ", report.Segments.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Label} {s.StartSeconds:0.0}-{s.EndSeconds:0.0} s")))})";
                    Console.WriteLine($"{Path.GetFileName(file)}: {report.Frames} frames, {what} -> {target}");
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // One bad video does not stop the others; the stream may hand the cause over wrapped.
                    failures++;
                    Console.Error.WriteLine($"vigil video run: {CliErrors.Describe(e)}");
                }
            }
        }
        finally
        {
            await system.Terminate();
        }
        if (identity?.NotForClinicalUse ?? true) Console.WriteLine("NOT FOR CLINICAL USE: demonstration adapter trained on generated clips.");
        return failures == 0 ? 0 : 2;
    }

    // The video's folder under --out: its name without extension, unless another input shares that
    // name (test.avi and test.mp4), then with the extension too (test-avi, test-mp4).
    internal static string OutputName(string file, IReadOnlyList<string> inputs)
    {
        var stem = Path.GetFileNameWithoutExtension(file);
        var shared = inputs.Count(f => string.Equals(Path.GetFileNameWithoutExtension(f), stem, StringComparison.Ordinal)) > 1;
        return shared ? $"{stem}-{Path.GetExtension(file).TrimStart('.').ToLowerInvariant()}" : stem;
    }

    public static async Task<int> BenchAsync(CommandArguments a)
    {
        var options = new VideoBenchmark.Options(
            a.Get("input"),
            a.Get("model") ?? (File.Exists(VideoCommand.DefaultCard) ? VideoCommand.DefaultCard : null),
            a.Get("optical-flow-model") ?? (File.Exists(VideoCommand.DefaultOpticalFlowCard) ? VideoCommand.DefaultOpticalFlowCard : null),
            a.Get("backbone") ?? VideoCommand.DefaultBackbone,
            a.GetInt("streams", Environment.ProcessorCount),
            a.GetInt("repeats", 7));
        var json = a.Flag("json");
        a.RejectUnknown();
        var result = await VideoBenchmark.RunAsync(options, VideoCommand.DefaultCache, Console.Error);
        Console.WriteLine(json ? result.ToJson() : result.ToString());
        return 0;
    }
}
