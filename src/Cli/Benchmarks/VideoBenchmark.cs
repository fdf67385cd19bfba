using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using Vigil.Video;
using Vigil.Video.Backbone;
using Vigil.Video.Motion;
using Vigil.Video.Segments;
using Vigil.Video.Sources;
using Vigil.Video.Synthetic;
using Vigil.Video.Training;

namespace Vigil.Cli.Benchmarks;

/// <summary>
/// <c>vigil video bench</c>: one clip through (a) decode + backbone only, (b) the whole graph
/// (decode, backbone with attention tap, AM flow, adapter windows) and (c) the whole graph with the
/// optical flow selected (the heat maps' Farnebäck flow computed in the graph, scored by an adapter
/// card whose motion includes it, <c>optical-flow</c> or <c>both</c>, when one is given or shipped), in turn and keeping each one's best run, so the ratios end-to-end /
/// backbone-only are measured on the same box at the same time; then N clips at once through the
/// default whole graph to find how many 8-frames/s cameras one node sustains.
/// </summary>
internal static class VideoBenchmark
{
    public sealed record Options(string? Input, string? Card, string? OpticalFlowCard, string Backbone, int Streams, int Repeats);

    public sealed record Result(string Clip, int Frames, double BackboneOnlyFps, double EndToEndFps, double Ratio, int ConcurrentStreams,
        double ConcurrentFps, double CamerasAt8Fps, string Adapter, int Cores, string Engine, double OpticalFlowFps, double OpticalFlowRatio, string OpticalFlowAdapter, string OpticalFlowMotion)
    {
        public string ToJson() => JsonSerializer.Serialize(new
        {
            benchmark = "video",
            clip = Clip,
            frames = Frames,
            backbone_only_fps = Math.Round(BackboneOnlyFps, 1),
            end_to_end_fps = Math.Round(EndToEndFps, 1),
            end_to_end_over_backbone = Math.Round(Ratio, 3),
            concurrent_streams = ConcurrentStreams,
            concurrent_total_fps = Math.Round(ConcurrentFps, 1),
            cameras_at_8fps = Math.Round(CamerasAt8Fps, 1),
            adapter = Adapter,
            optical_flow = new
            {
                motion = OpticalFlowMotion,
                end_to_end_fps = Math.Round(OpticalFlowFps, 1),
                end_to_end_over_backbone = Math.Round(OpticalFlowRatio, 3),
                adapter = OpticalFlowAdapter,
            },
            cores = Cores,
            engine = Engine,
        });

        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"{Clip} ({Frames} frames): backbone only {BackboneOnlyFps:0.0} fps, end to end {EndToEndFps:0.0} fps (ratio {Ratio:0.000}), with optical flow ({OpticalFlowMotion}) {OpticalFlowFps:0.0} fps (ratio {OpticalFlowRatio:0.000}, {OpticalFlowAdapter}); {ConcurrentStreams} streams at once {ConcurrentFps:0.0} fps = {CamerasAt8Fps:0.0} cameras at 8 fps ({Adapter}, {Cores} cores)");
    }

    public static async Task<Result> RunAsync(Options o, string cache, TextWriter log)
    {
        string? temp = null;
        var clip = o.Input;
        if (clip is null)
        {
            temp = Path.Combine(Path.GetTempPath(), "vigil-video-bench-" + Environment.ProcessId);
            clip = new ClipGenerator().Write(temp, 1).Path;
        }
        using var backbone = VitBackbone.Load(o.Backbone, BackboneSpec.VitTrack, cache);
        using var adapter = o.Card is null ? null : TorchActionAdapter.Load(o.Card);
        using var flowAdapter = o.OpticalFlowCard is null ? null : TorchActionAdapter.Load(o.OpticalFlowCard);
        if (flowAdapter is not null && !MotionFeatures.HasOpticalFlow(flowAdapter.Motion))
            throw new InvalidDataException($"{Path.GetFileName(o.OpticalFlowCard)}: an adapter on {MotionFeatures.Name(flowAdapter.Motion)} features, without optical flow");
        using var system = ActorSystem.Create("vigil-video-bench", "akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING");
        var m = system.Materializer();
        try
        {
            // Warm-up: ORT's first runs and the JIT.
            await BackboneOnly(clip, backbone, m);
            await EndToEnd(clip, backbone, adapter, MotionFeature.AmFlow, m);
            await EndToEnd(clip, backbone, flowAdapter, MotionFeature.OpticalFlow, m);
            double bestA = 0, bestB = 0, bestC = 0;
            var frames = 0;
            // The ratio is the median of paired repeats (each repeat runs both graphs back to back),
            // so a burst of other work on the machine hits one pair, not the headline.
            var ratios = new List<double>();
            var flowRatios = new List<double>();
            // The default graph's pairs first, then the optical-flow graph's own pairs, so the heavier
            // optical-flow run never sits between (or warms the caches against) the default pair.
            for (var r = 0; r < o.Repeats; r++)
            {
                var (fa, sa) = await Timed(() => BackboneOnly(clip, backbone, m));
                var (fb, sb) = await Timed(() => EndToEnd(clip, backbone, adapter, MotionFeature.AmFlow, m));
                frames = fa;
                bestA = Math.Max(bestA, fa / sa);
                bestB = Math.Max(bestB, fb / sb);
                ratios.Add(fb / sb / (fa / sa));
                log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"repeat {r + 1}: backbone only {fa / sa:0.0} fps, end to end {fb / sb:0.0} fps"));
            }
            for (var r = 0; r < o.Repeats; r++)
            {
                var (fa, sa) = await Timed(() => BackboneOnly(clip, backbone, m));
                var (fc, sc) = await Timed(() => EndToEnd(clip, backbone, flowAdapter, MotionFeature.OpticalFlow, m));
                bestA = Math.Max(bestA, fa / sa);
                bestC = Math.Max(bestC, fc / sc);
                flowRatios.Add(fc / sc / (fa / sa));
                log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"optical-flow repeat {r + 1}: backbone only {fa / sa:0.0} fps, with optical flow {fc / sc:0.0} fps"));
            }
            var clock = Stopwatch.StartNew();
            var counts = await Task.WhenAll(Enumerable.Range(0, o.Streams).Select(_ => EndToEnd(clip, backbone, adapter, MotionFeature.AmFlow, m)));
            var concurrent = counts.Sum() / clock.Elapsed.TotalSeconds;
            return new Result(Path.GetFileName(clip), frames, bestA, bestB, Median(ratios), o.Streams, concurrent, concurrent / 8,
                adapter?.Card?.ToString() ?? "none (AM flow only)", Environment.ProcessorCount,
                $"Akka.Streams {typeof(ActorMaterializer).Assembly.GetName().Version?.ToString(3)}",
                bestC, Median(flowRatios), flowAdapter?.Card?.ToString() ?? "none (optical-flow features only)", MotionFeatures.Name(flowAdapter?.Motion ?? MotionFeature.OpticalFlow));
        }
        finally
        {
            await system.Terminate();
            if (temp is not null) Directory.Delete(temp, recursive: true);
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static async Task<(int Frames, double Seconds)> Timed(Func<Task<int>> run)
    {
        var clock = Stopwatch.StartNew();
        var frames = await run();
        return (frames, clock.Elapsed.TotalSeconds);
    }

    private static async Task<int> BackboneOnly(string clip, VitBackbone backbone, IMaterializer m) =>
        await VideoSources.File(clip, 0).Via(VideoFlows.Attention(backbone))
            .RunAggregate(0, (n, _) => n + 1, m);

    // Without an adapter, the features of motion; with one, the features its config names (what a served adapter computes).
    private static async Task<int> EndToEnd(string clip, VitBackbone backbone, IActionAdapter? adapter, MotionFeature motion, IMaterializer m)
    {
        var features = VideoSources.File(clip, 0).Via(adapter is null
            ? VideoFlows.Attention(backbone).Via(VideoFlows.Features(backbone.Spec.Grid, motion))
            : VideoFlows.AdapterFeatures(backbone, adapter));
        if (adapter is null) return await features.RunAggregate(0, (n, _) => n + 1, m);
        var stride = Math.Max(1, adapter.WindowFrames / 4);
        // Frames counted at the features stage; windows scored in the same graph.
        var frames = 0;
        await features.Select(f => { frames++; return f; }).Via(VideoFlows.Scores(adapter, stride)).RunWith(Sink.Ignore<(int, float[][])>(), m);
        return frames;
    }
}
