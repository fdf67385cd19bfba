using Vigil.Streams.Metrics;
using System.Diagnostics;
using Vigil.Imaging;
using Vigil.BoneAge.Preprocessing;
using Akka.Actor;
using Akka.Configuration;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace Vigil.BoneAge.Scoring;

/// <summary>Settings of <see cref="BoneAgeBench"/>.</summary>
public sealed record BoneAgeBenchOptions
{
    /// <summary>Model card (a bone-age card or a throughput stand-in).</summary>
    public required string CardPath { get; init; }
    /// <summary>Source files (PNG, DICOM, JPEG), cycled to reach <see cref="Images"/>.</summary>
    public required IReadOnlyList<string> Files { get; init; }
    /// <summary>Images per measurement.</summary>
    public int Images { get; init; } = 48;
    /// <summary>Dynamic batcher's maximum batch size (the same in both measurements).</summary>
    public int BatchSize { get; init; } = 8;
    /// <summary>Requests in flight (the same in both measurements).</summary>
    public int MaxInFlight { get; init; } = 16;
    /// <summary>Decode/preprocess workers in the end-to-end run.</summary>
    public int DecodeParallelism { get; init; } = Math.Max(1, Environment.ProcessorCount - 1);
    /// <summary>ONNX Runtime threads inside one batch, in both measurements (0: one per core).</summary>
    public int InferenceThreads { get; init; }
    /// <summary>Let ONNX Runtime's threads spin-wait between operators (off by default, as in the scorer).</summary>
    public bool SpinningThreads { get; init; }
    /// <summary>Rounds of each measurement (alternating); the best of each is reported.</summary>
    public int Rounds { get; init; } = 2;
    /// <summary>Root for ${VIGIL_SHARED} in cards.</summary>
    public string? SharedRoot { get; init; }
    /// <summary>Scratch folder for the end-to-end run's report.</summary>
    public required string WorkDirectory { get; init; }
}

/// <summary>The two throughputs side by side.</summary>
public sealed record BoneAgeBenchResult
{
    /// <summary>Model id and version.</summary>
    public required string Model { get; init; }
    /// <summary>Images per measurement.</summary>
    public int Images { get; init; }
    /// <summary>Batch size.</summary>
    public int BatchSize { get; init; }
    /// <summary>Decode workers.</summary>
    public int DecodeParallelism { get; init; }
    /// <summary>ONNX Runtime threads inside one batch (0: one per core).</summary>
    public int InferenceThreads { get; init; }
    /// <summary>Whether ONNX Runtime's threads spin-waited between operators.</summary>
    public bool SpinningThreads { get; init; }
    /// <summary>Processor count of the machine.</summary>
    public int Cores { get; init; } = Environment.ProcessorCount;
    /// <summary>Files cycled as input.</summary>
    public IReadOnlyList<string> Files { get; init; } = [];
    /// <summary>Best end-to-end images/s (read, decode, preprocess, infer, report).</summary>
    public double EndToEndImagesPerSecond { get; init; }
    /// <summary>Best inference-only images/s (preprocessed tensors through the same batcher).</summary>
    public double InferenceOnlyImagesPerSecond { get; init; }
    /// <summary>Best decode-only images/s: read, hash, decode and preprocess, same parallelism, no model.</summary>
    public double DecodeOnlyImagesPerSecond { get; init; }
    /// <summary>End-to-end / inference-only: the issue's measure (floor 0.9).</summary>
    public double Ratio => InferenceOnlyImagesPerSecond > 0 ? EndToEndImagesPerSecond / InferenceOnlyImagesPerSecond : 0;
    /// <summary>
    /// The most any pipeline can reach with this layout. When decode workers and inference threads
    /// together fit in the cores, each has its own: min(decode-only, inference-only). When they
    /// share cores, each image costs the CPU of both: 1 / (1/decode-only + 1/inference-only), and
    /// decoding can be hidden behind inference only as far as that is close to inference-only.
    /// </summary>
    public double PipelineBoundImagesPerSecond => DecodeOnlyImagesPerSecond <= 0 || InferenceOnlyImagesPerSecond <= 0 ? 0
        : InferenceThreads > 0 && DecodeParallelism + InferenceThreads <= Cores
            ? Math.Min(DecodeOnlyImagesPerSecond, InferenceOnlyImagesPerSecond)
            : 1 / (1 / DecodeOnlyImagesPerSecond + 1 / InferenceOnlyImagesPerSecond);
    /// <summary>Decode-only / inference-only: how many times more one image's inference costs than its decoding (below 1: decoding costs more).</summary>
    public double InferenceToDecodeCost => InferenceOnlyImagesPerSecond > 0 ? DecodeOnlyImagesPerSecond / InferenceOnlyImagesPerSecond : 0;
    /// <summary>End to end against <see cref="PipelineBoundImagesPerSecond"/>: 1 means the pipeline itself costs nothing.</summary>
    public double EndToEndVsPipelineBound => PipelineBoundImagesPerSecond > 0 ? EndToEndImagesPerSecond / PipelineBoundImagesPerSecond : 0;
    /// <summary>The floor the issue sets.</summary>
    public double Floor { get; init; } = 0.9;
    /// <summary>Ratio at or above the floor.</summary>
    public bool MeetsFloor => Ratio >= Floor;
    /// <summary>Every round's figures, for the record.</summary>
    public IReadOnlyList<double> EndToEndRounds { get; init; } = [];
    /// <summary>Every round's inference-only figures.</summary>
    public IReadOnlyList<double> InferenceOnlyRounds { get; init; } = [];
    /// <summary>Mean batch size the batcher achieved end to end.</summary>
    public double MeanBatchSize { get; init; }
    /// <summary>Every round's decode-only figures.</summary>
    public IReadOnlyList<double> DecodeOnlyRounds { get; init; } = [];
    /// <summary>Peak working set of the process so far (MiB): it includes the model's weights and ONNX Runtime's arena, and every earlier run in the same process.</summary>
    public double PeakWorkingSetMiB { get; init; }
    /// <summary>1-minute load average when the run ended (NaN where /proc is absent): other work on the box skews every figure.</summary>
    public double LoadAverage { get; init; }
}

/// <summary>
/// <c>vigil boneage bench</c>: end-to-end images/s from image files through the whole scorer against
/// the same model's inference-only images/s (already-preprocessed tensors, same batcher, same batch
/// size and concurrency), alternating rounds, best of each, with the process's peak working set.
/// </summary>
public static class BoneAgeBench
{
    /// <summary>Runs the benchmark.</summary>
    public static async Task<BoneAgeBenchResult> RunAsync(BoneAgeBenchOptions o, CancellationToken cancellation = default)
    {
        var inputs = Enumerable.Range(0, o.Images).Select(i => o.Files[i % o.Files.Count]).ToArray();
        // One ActorSystem for every round's graphs, as a host would run them.
        using var system = ActorSystem.Create("vigil-boneage-bench", ConfigurationFactory.ParseString("akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING"));
        var materializer = system.Materializer();
        await using var model = BoneAgeModel.Open(o.CardPath, o.BatchSize, o.SharedRoot, o.InferenceThreads, o.SpinningThreads);
        var preprocessor = new Preprocessor(model.Preprocessing);
        var prepared = o.Files.Select(f => preprocessor.Run(RadiographLoader.Load(f, reduction: preprocessor.ReductionFor)).Input).ToArray();

        // Warm-up: JIT, ORT's first-run allocations, thread pool growth.
        await InferenceOnly(model, prepared, Math.Min(o.Images, 2 * o.BatchSize), o.MaxInFlight, cancellation);
        var e2e = new List<double>();
        var inference = new List<double>();
        var decodeOnly = new List<double>();
        double meanBatch = 0;
        for (var round = 0; round < o.Rounds; round++)
        {
            inference.Add(await InferenceOnly(model, prepared, o.Images, o.MaxInFlight, cancellation));
            decodeOnly.Add(await DecodeOnly(materializer, preprocessor, inputs, o.DecodeParallelism, cancellation));
            var outDir = Path.Combine(o.WorkDirectory, $"round{round}");
            if (Directory.Exists(outDir)) Directory.Delete(outDir, recursive: true);
            var summary = await new BoneAgeScorer(model, new ScoreOptions
            {
                Inputs = inputs,
                OutputDirectory = outDir,
                Manifest = Manifest.Empty,
                DecodeParallelism = o.DecodeParallelism,
                MaxInFlight = o.MaxInFlight,
                FlushEvery = o.BatchSize,
                AllowDuplicates = true,
                AssumedPatient = (PatientSex.Female, 120),
            }, materializer).RunAsync(cancellation);
            if (summary.Failed > 0) throw new InvalidOperationException($"bench: {summary.Failed} image(s) failed: {string.Join("; ", summary.FailureReasons.Keys)}");
            e2e.Add(summary.ImagesPerSecond);
            meanBatch = summary.MeanBatchSize;
        }
        await system.Terminate();
        return new BoneAgeBenchResult
        {
            Model = model.Card.ToString(),
            Images = o.Images,
            BatchSize = o.BatchSize,
            DecodeParallelism = o.DecodeParallelism,
            InferenceThreads = o.InferenceThreads,
            SpinningThreads = o.SpinningThreads,
            Files = o.Files.Select(Path.GetFileName).ToArray()!,
            EndToEndImagesPerSecond = e2e.Max(),
            InferenceOnlyImagesPerSecond = inference.Max(),
            DecodeOnlyImagesPerSecond = decodeOnly.Max(),
            DecodeOnlyRounds = decodeOnly,
            LoadAverage = MachineLoad.OneMinuteAverage(),
            EndToEndRounds = e2e,
            InferenceOnlyRounds = inference,
            MeanBatchSize = meanBatch,
            PeakWorkingSetMiB = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024),
        };
    }

    /// <summary>What the scorer does before inference (read, sha256, decode shrinking as it goes, preprocess), same parallelism.</summary>
    private static async Task<double> DecodeOnly(IMaterializer materializer, Preprocessor preprocessor, string[] inputs, int parallelism, CancellationToken cancellation)
    {
        var sw = Stopwatch.StartNew();
        await Source.From(inputs)
            .SelectAsync(parallelism, path => Task.Run(() =>
            {
                var bytes = File.ReadAllBytes(path);
                System.Security.Cryptography.SHA256.HashData(bytes);
                return preprocessor.Run(RadiographLoader.Decode(bytes, path, long.MaxValue, preprocessor.ReductionFor)).Input.Length;
            }, cancellation))
            .RunWith(Sink.Ignore<int>(), materializer)
            .WaitAsync(cancellation);
        return inputs.Length / sw.Elapsed.TotalSeconds;
    }


    private static async Task<double> InferenceOnly(BoneAgeModel model, float[][] prepared, int count, int maxInFlight, CancellationToken cancellation)
    {
        var gate = new SemaphoreSlim(maxInFlight);
        var sw = Stopwatch.StartNew();
        var tasks = new List<Task>(count);
        for (var i = 0; i < count; i++)
        {
            await gate.WaitAsync(cancellation);
            var input = prepared[i % prepared.Length];
            tasks.Add(Task.Run(async () =>
            {
                try { await model.PredictAsync("bench", input, PatientSex.Female, cancellation); }
                finally { gate.Release(); }
            }, cancellation));
        }
        await Task.WhenAll(tasks);
        return count / sw.Elapsed.TotalSeconds;
    }
}
