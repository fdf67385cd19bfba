using System.Diagnostics;
using Akka.Streams;
using Akka.Streams.Dsl;
using Vigil.Infrared.Breathing.Synthetic;
using Vigil.Infrared.Thermal;

namespace Vigil.Infrared.Breathing;

/// <summary>
/// End-to-end frames/s of the breathing chain on CPU, per camera: raw Y16 file source → face detection
/// → nostril region → breathing windows, for several cameras at once (one fused stream each), side by side
/// with the same chain given the generator's known face geometry (no detector), with the warm-region
/// detector, with the adapted card detector (when a card is given) and with the source alone, so each
/// detector's share of the cost shows. Input files are generated first and not timed.
/// </summary>
public static class BreathingBenchmark
{
    /// <summary>Figures of one chain.</summary>
    /// <param name="Chain">Chain name.</param>
    /// <param name="Seconds">Wall time for all cameras.</param>
    /// <param name="PerCameraFps">Frames per second of each camera's stream.</param>
    /// <param name="AggregateFps">All frames over the wall time.</param>
    /// <param name="Windows">Breathing windows produced.</param>
    public sealed record ChainResult(string Chain, double Seconds, IReadOnlyList<double> PerCameraFps, double AggregateFps, int Windows);

    /// <summary>Name of the chain with the adapted card detector.</summary>
    public const string CardChain = "centernet-detector";

    /// <summary>Name of the chain with the warm-region detector.</summary>
    public const string WarmRegionChain = "warm-region-detector";

    /// <summary>
    /// Runs the chains on <paramref name="cameras"/> generated cameras of <paramref name="seconds"/> s at <paramref name="fps"/> frames/s,
    /// <paramref name="width"/>×<paramref name="height"/>; with <paramref name="faceCard"/> also the chain with that adapted detector
    /// (one instance per camera, run on every <paramref name="detectEvery"/>-th frame).
    /// </summary>
    public static async Task<IReadOnlyList<ChainResult>> RunAsync(IMaterializer materializer, int cameras, double seconds, double fps, int width, int height, TextWriter progress,
        string? faceCard = null, int detectEvery = 1)
    {
        if (cameras < 1) throw new ArgumentException($"--cameras must be at least 1, not {cameras}");
        if (!(seconds >= 30)) throw new ArgumentException($"--seconds must be at least 30 (one breathing window), not {seconds}");
        var dir = Directory.CreateTempSubdirectory("vigil-ir-bench-").FullName;
        try
        {
            var files = new List<(string Path, ThermalFaceSequence Sequence, int Frames)>();
            for (var c = 0; c < cameras; c++)
            {
                var sequence = new ThermalFaceSequence(ThermalFaceScenario.Random(1000 + c, seconds, fps) with { Width = width, Height = height });
                var path = Path.Combine(dir, $"camera{c}.y16");
                var n = ThermalFileWriter.WriteRawY16(sequence.Frames(), path);
                files.Add((path, sequence, n));
                progress.WriteLine($"camera {c}: {n} frames {width}x{height} generated");
            }
            var card = ThermalFaceSequence.Card;
            Source<ThermalFrame, Akka.NotUsed> Open(int c) => ThermalSources.RawY16(files[c].Path, width, height, fps, card);
            async Task<ChainResult> Chain(string name, Func<int, Task<int>> run)
            {
                var total = Stopwatch.StartNew();
                var perCamera = await Task.WhenAll(Enumerable.Range(0, cameras).Select(async c =>
                {
                    var sw = Stopwatch.StartNew();
                    var windows = await run(c);
                    return (Fps: files[c].Frames / sw.Elapsed.TotalSeconds, Windows: windows);
                }));
                total.Stop();
                var result = new ChainResult(name, total.Elapsed.TotalSeconds, perCamera.Select(p => p.Fps).ToArray(), files.Sum(f => f.Frames) / total.Elapsed.TotalSeconds, perCamera.Sum(p => p.Windows));
                progress.WriteLine($"{name}: {result.AggregateFps:0} frames/s over {cameras} cameras, slowest camera {result.PerCameraFps.Min():0} frames/s");
                return result;
            }
            Task<int> Breathing(int c, IThermalFaceDetector detector) =>
                Open(c).Via(BreathingFlows.BreathingRate($"camera{c}", detector)).RunWith(Sink.Aggregate<BreathingWindow, int>(0, (n, _) => n + 1), materializer);
            // Warm-up (JIT, OpenCV) on a short run of camera 0, not reported.
            await Open(0).Take(50).Via(BreathingFlows.NostrilSignal(new WarmRegionFaceDetector())).RunWith(Sink.Ignore<RegionSample>(), materializer);
            var results = new List<ChainResult>
            {
                await Chain("source-only", c => Open(c).RunWith(Sink.Aggregate<ThermalFrame, int>(0, (n, _) => n), materializer)),
                await Chain("known-geometry", c => Breathing(c, files[c].Sequence.KnownGeometry)),
                await Chain(WarmRegionChain, c => Breathing(c, new WarmRegionFaceDetector())),
            };
            if (faceCard is not null)
            {
                using (var warm = CardFaceDetector.Open(faceCard, detectEvery))
                    await Open(0).Take(50).Via(BreathingFlows.NostrilSignal(warm)).RunWith(Sink.Ignore<RegionSample>(), materializer);
                results.Add(await Chain(CardChain, async c =>
                {
                    using var detector = CardFaceDetector.Open(faceCard, detectEvery);
                    return await Breathing(c, detector);
                }));
            }
            return results;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
