using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vigil.Models.Onnx;
using Vigil.Models.Tensors;

namespace Vigil.Cli.Benchmarks;

/// <summary>
/// <c>vigil bench models [--json] [--rounds N (7)] [--round-seconds S (1)] [--only ID-PART]</c>: Vigil on
/// Microsoft.ML.OnnxRuntime 1.32.0 against Node's onnxruntime-node 1.30.0 (bench/node/bench.js), in
/// one run, same model, same inputs and the same session settings (<see cref="Settings"/>: intra-op 1,
/// inter-op 1, sequential, all graph optimisations, CPU arena and memory pattern on, no spinning;
/// Vigil's defaults otherwise). Each side runs timed rounds of back-to-back inferences,
/// alternating (Vigil sync, Node, Vigil async, and the control: the official C# API with nothing of
/// Vigil's, <see cref="PlainOrtRunner"/>) so load from other work on a shared machine hits all alike. Headline figures are median rounds; the ratio is the median of the per-round
/// Vigil/Node ratios (floor 1.0). Then the dynamic batcher against fixed batch sizes
/// (<see cref="BatcherBenchmark"/>, under "batcher").
/// </summary>
internal static class ModelsBenchmark
{
    private const int IntraOpThreads = 1;
    private const int InterOpThreads = 1;
    private const double Floor = 1.0;

    internal sealed record BenchInput(string Name, TensorElementType Type, long[] Dims, float[]? Floats, long[]? Longs, string? File);

    /// <summary>One model of the benchmark.</summary>
    /// <param name="Id">Short id (JSON "model", --only).</param>
    /// <param name="Description">What the model is and which input it gets.</param>
    /// <param name="ModelPath">The .onnx file.</param>
    /// <param name="Inputs">The inputs, by name.</param>
    /// <param name="AsGiven">Run the file exactly as exported on every side (Vigil keeps initializer inputs overridable); informational, no floor.</param>
    internal sealed record BenchCase(string Id, string Description, string ModelPath, BenchInput[] Inputs, bool AsGiven = false);

    /// <summary>Runs the benchmark; 0 on completion (the floor verdict is in the output), 2 on bad arguments.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var a = new CommandArguments(args, "json");
        var json = a.Flag("json");
        var rounds = a.GetInt("rounds", 7);
        var roundSeconds = a.GetDouble("round-seconds", 1.0);
        var only = a.Get("only");
        a.RejectUnknown();
        if (rounds < 2) throw new CommandLineException("--rounds must be at least 2");
        if (roundSeconds <= 0) throw new CommandLineException("--round-seconds must be positive");

        var root = RepositoryPaths.Root;
        var shared = RepositoryPaths.Shared;
        var cases = new[] { TinyCase(shared), UltraFaceCase(shared), PfldCase(shared), UltraFaceAsGivenCase(shared) }.Where(c => only is null || c.Id.Contains(only, StringComparison.Ordinal)).ToArray();
        var runBatcher = only is null || "batcher".Contains(only, StringComparison.Ordinal);
        if (cases.Length == 0 && !runBatcher)
            throw new CommandLineException($"--only '{only}' matches nothing (tiny_matmul_4d, ultraface_rfb_320, pfld_68, batcher)");
        var (nodeReady, nodeProblem) = await EnsureNodeAsync(root);

        var results = new JsonArray();
        foreach (var c in cases)
        {
            Console.Error.WriteLine($"bench models: {c.Id} ...");
            var settings = Settings(c.Id);
            settings.KeepInitializerInputs = c.AsGiven;
            using var session = OnnxSession.Load(c.ModelPath, settings);
            // The peers run the graph Vigil runs: with Vigil's default, weights an old export listed as
            // inputs are constants, so Node and the control load the same edited model from a file.
            var peerCase = c.AsGiven ? c : PeerCase(c, root);
            using var plain = new PlainOrtRunner(peerCase, ReadFloats, settings);
            var tensors = c.Inputs.Select(ToTensor).ToArray();
            try
            {
                var named = c.Inputs.Select((input, k) => new NamedTensor(input.Name, tensors[k])).ToArray();
                Warmup(session, named);
                NodeRunner? node = null;
                string? nodeError = nodeProblem;
                if (nodeReady)
                {
                    try { node = await NodeRunner.StartAsync(root, peerCase, settings); }
                    catch (Exception e) when (e is InvalidOperationException or IOException or JsonException) { nodeError = e.Message; }
                }
                var vigil = new List<(double, double)>();
                var vigilAsync = new List<(double, double)>();
                var nodeRounds = new List<(double, double)>();
                var plainRounds = new List<(double, double)>();
                try
                {
                    for (var r = 0; r < rounds; r++)
                    {
                        vigil.Add(SyncRound(session, named, roundSeconds));
                        if (node is not null && nodeError is null)
                        {
                            try { nodeRounds.Add(await node.RoundAsync(roundSeconds)); }
                            catch (Exception e) when (e is InvalidOperationException or IOException or JsonException) { nodeError = e.Message; }
                        }
                        vigilAsync.Add(await AsyncRound(session, named, roundSeconds));
                        plainRounds.Add(plain.Round(roundSeconds));
                    }
                }
                finally
                {
                    if (node is not null) await node.DisposeAsync();
                }
                results.Add(Report(c, peerCase, session.WeightInputsMadeConstant, vigil, vigilAsync, nodeError is null && nodeRounds.Count == rounds ? nodeRounds : null, nodeError, plainRounds));
            }
            finally
            {
                foreach (var t in tensors) t.Dispose();
            }
        }

        var output = new JsonObject
        {
            ["benchmark"] = "models",
            ["onnxruntime_version"] = OnnxRuntimeInfo.Version,
            ["package"] = OnnxRuntimeInfo.Package,
            ["intra_op_threads"] = IntraOpThreads,
            ["inter_op_threads"] = InterOpThreads,
            ["settings_both_sides"] = SettingsDescription(Settings("model")),
            ["rounds"] = rounds,
            ["round_seconds"] = roundSeconds,
            ["processor_count"] = Environment.ProcessorCount,
            ["model_preparation"] = "Vigil loads weights that an export also lists as graph inputs as constants (OnnxInitializerInputs; ORT's own advice); Node and the control load that same edited graph (peer_model_path), so every side runs the same graph. The *_as_given case runs the file exactly as exported on every side (informational).",
            ["method"] = "timed rounds of back-to-back inferences on one input, alternating Vigil sync / Node / Vigil async / official C# API (control); figures are median rounds; ratio = median of per-round vigil/node; vigil_vs_official_csharp isolates Vigil's binding, official_csharp_vs_node the native builds (1.32.0 vs 1.30.0) and Node's binding; per_cpu_s = inferences per second of process CPU time",
            ["models"] = results,
        };
        if (runBatcher)
        {
            // The dynamic batcher against fixed batch sizes (models-catalog's BatcherBenchmark).
            Console.Error.WriteLine("bench models: batcher ...");
            output["batcher"] = await new BatcherBenchmark().RunAsync(m => Console.Error.WriteLine("bench models: batcher: " + m));
        }
        if (json)
            Console.WriteLine(output.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        else
        {
            PrintTable(results);
            if (output["batcher"] is { } batcher)
                Console.WriteLine("batcher: " + batcher.ToJsonString());
        }
        return 0;
    }

    /// <summary>The session settings both sides run with: Vigil's defaults (docs/models.md) with one intra-op and one inter-op thread.</summary>
    internal static OnnxSessionOptions Settings(string id) => new()
    {
        ModelId = id,
        IntraOpThreads = IntraOpThreads,
        InterOpThreads = InterOpThreads,
        GraphOptimizationLevel = OnnxGraphOptimizationLevel.All,
    };

    private static JsonObject SettingsDescription(OnnxSessionOptions o) => new()
    {
        ["intra_op_threads"] = o.IntraOpThreads,
        ["inter_op_threads"] = o.InterOpThreads,
        ["execution_mode"] = o.ParallelExecution ? "parallel" : "sequential",
        ["graph_optimization"] = "all",
        ["cpu_mem_arena"] = o.EnableCpuMemArena,
        ["memory_pattern"] = o.EnableMemoryPattern,
        ["allow_spinning"] = o.AllowSpinning,
        ["vigil_rejects_non_finite_inputs"] = o.RejectNonFiniteInputs,
    };

    private static JsonObject Report(BenchCase c, BenchCase peer, int weightsMadeConstant, List<(double Wall, double Cpu)> vigilPairs, List<(double Wall, double Cpu)> vigilAsyncPairs,
        List<(double Wall, double Cpu)>? nodePairs, string? nodeError, List<(double Wall, double Cpu)> plainPairs)
    {
        var plain = plainPairs.Select(p => p.Wall).ToList();
        var plainCpu = plainPairs.Select(p => p.Cpu).ToList();
        var vigil = vigilPairs.Select(p => p.Wall).ToList();
        var vigilAsync = vigilAsyncPairs.Select(p => p.Wall).ToList();
        var node = nodePairs?.Select(p => p.Wall).ToList();
        var v = Median(vigil);
        var va = Median(vigilAsync);
        double? n = node is null ? null : Median(node);
        double? ratio = node is null ? null : Median(vigil.Zip(node, (x, y) => x / y).ToList());
        double? asyncRatio = node is null ? null : Median(vigilAsync.Zip(node, (x, y) => x / y).ToList());
        var vigilCpu = Median(vigilPairs.Select(p => p.Cpu).ToList());
        double? nodeCpu = nodePairs is null ? null : Median(nodePairs.Select(p => p.Cpu).ToList());
        return new JsonObject
        {
            ["model"] = c.Id,
            ["description"] = c.Description,
            ["path"] = c.ModelPath,
            ["peer_model_path"] = peer.ModelPath,
            ["weights_made_constant"] = weightsMadeConstant,
            ["as_given"] = c.AsGiven,
            ["vigil_inferences_per_s"] = Round(v),
            ["vigil_async_inferences_per_s"] = Round(va),
            ["node_inferences_per_s"] = n is null ? null : Round(n.Value),
            ["ratio"] = ratio is null ? null : Math.Round(ratio.Value, 3),
            ["async_ratio"] = asyncRatio is null ? null : Math.Round(asyncRatio.Value, 3),
            ["ratio_of_medians"] = n is null ? null : Math.Round(v / n.Value, 3),
            ["vigil_inferences_per_cpu_s"] = Round(vigilCpu),
            ["node_inferences_per_cpu_s"] = nodeCpu is null ? null : Round(nodeCpu.Value),
            ["cpu_ratio"] = nodeCpu is null ? null : Math.Round(vigilCpu / nodeCpu.Value, 3),
            ["official_csharp_inferences_per_s"] = Round(Median(plain)),
            ["vigil_vs_official_csharp"] = Math.Round(Median(vigil.Zip(plain, (x, y) => x / y).ToList()), 3),
            ["vigil_vs_official_csharp_cpu"] = Math.Round(Median(vigilPairs.Zip(plainCpu, (x, y) => x.Cpu / y).ToList()), 3),
            ["official_csharp_vs_node"] = node is null ? null : Math.Round(Median(plain.Zip(node, (x, y) => x / y).ToList()), 3),
            ["official_csharp_vs_node_cpu"] = nodePairs is null ? null : Math.Round(Median(plainCpu.Zip(nodePairs, (x, y) => x / y.Cpu).ToList()), 3),
            ["floor"] = c.AsGiven ? null : Floor,
            ["floor_met"] = ratio is null || c.AsGiven ? null : ratio.Value >= Floor,
            ["vigil_rounds"] = Rounds(vigil),
            ["vigil_async_rounds"] = Rounds(vigilAsync),
            ["node_rounds"] = node is null ? null : Rounds(node),
            ["official_csharp_rounds"] = Rounds(plain),
            ["node_error"] = nodeError,
        };
    }

    private static (double PerSecond, double PerCpuSecond) SyncRound(OnnxSession session, NamedTensor[] inputs, double seconds)
    {
        var cpu = CpuTime();
        var sw = Stopwatch.StartNew();
        var n = 0;
        do
        {
            using var result = session.Run(inputs);
            n++;
        } while (sw.Elapsed.TotalSeconds < seconds);
        return (n / sw.Elapsed.TotalSeconds, n / (CpuTime() - cpu).TotalSeconds);
    }

    private static async Task<(double PerSecond, double PerCpuSecond)> AsyncRound(OnnxSession session, NamedTensor[] inputs, double seconds)
    {
        var cpu = CpuTime();
        var sw = Stopwatch.StartNew();
        var n = 0;
        do
        {
            using var result = await session.RunAsync(inputs);
            n++;
        } while (sw.Elapsed.TotalSeconds < seconds);
        return (n / sw.Elapsed.TotalSeconds, n / (CpuTime() - cpu).TotalSeconds);
    }

    /// <summary>User + system CPU time of this process (all threads), as node's process.cpuUsage().</summary>
    private static TimeSpan CpuTime()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    private static void Warmup(OnnxSession session, NamedTensor[] inputs)
    {
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < 100 && sw.Elapsed.TotalSeconds < 1; i++)
        {
            using var _ = session.Run(inputs);
        }
    }

    /// <summary>The benchmark peer: Node's official binding, fetched from npm into bench/node on first use.</summary>
    internal const string NodePeerPackage = "onnxruntime-node@1.30.0";

    /// <summary>Installs onnxruntime-node into bench/node from npm, once (it ships its own libonnxruntime; no install scripts run).</summary>
    private static async Task<(bool Ready, string? Problem)> EnsureNodeAsync(string root)
    {
        var dir = Path.Combine(root, "bench", "node");
        // The native binding is what must be there: a package whose bin/ was cleaned away is reinstalled.
        var binding = Path.Combine(dir, "node_modules", "onnxruntime-node", "bin", "napi-v6",
            OperatingSystem.IsWindows() ? "win32" : OperatingSystem.IsMacOS() ? "darwin" : "linux",
            System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "arm64" : "x64",
            "onnxruntime_binding.node");
        if (File.Exists(binding)) return (true, null);
        Console.Error.WriteLine($"bench models: installing {NodePeerPackage} into bench/node from npm (once, about 30 s)...");
        try
        {
            var (code, _, stderr) = await RunProcessAsync("npm",
                ["install", "--ignore-scripts", "--no-save", "--no-audit", "--no-fund", "--loglevel=error", NodePeerPackage], dir);
            return code == 0 ? (true, null) : (false, "npm install failed: " + stderr.Trim());
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (false, "npm is not available (apt-get install npm): " + e.Message);
        }
    }

    internal static async Task<(int Code, string Stdout, string Stderr)> RunProcessAsync(string file, string[] args, string workingDirectory)
    {
        var psi = new ProcessStartInfo(file, args)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"{file} did not start");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await stdout, await stderr);
    }

    private static BenchCase TinyCase(string shared)
    {
        // MatMul [1,2,3,4]x[1,2,4,3]: microseconds of compute, so per-call overhead dominates.
        var folder = Path.Combine(shared, "assets", "onnx_node_tests", "test_matmul_4d");
        using var doc = JsonDocument.Parse(File.ReadAllText(RequireFile(Path.Combine(folder, "_tensors.json"))));
        var inputs = doc.RootElement.EnumerateObject().Where(p => p.Name.StartsWith("input_", StringComparison.Ordinal))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => new BenchInput(p.Value.GetProperty("name").GetString()!, TensorElementType.Float32,
                p.Value.GetProperty("dims").EnumerateArray().Select(d => d.GetInt64()).ToArray(),
                p.Value.GetProperty("data").EnumerateArray().Select(d => d.GetSingle()).ToArray(), null, null))
            .ToArray();
        return new BenchCase("tiny_matmul_4d", "ONNX node test MatMul [1,2,3,4]x[1,2,4,3] (overhead-dominated)",
            RequireFile(Path.Combine(folder, "model.onnx")), inputs);
    }

    private static BenchCase UltraFaceCase(string shared)
    {
        var input = RequireFile(Path.Combine(shared, "assets", "expected", "ultraface_input_headpose011.bin"));
        return new BenchCase("ultraface_rfb_320", "UltraFace RFB-320 face detector, input [1,3,240,320] (headpose011)",
            RequireFile(Path.Combine(shared, "assets", "models", "ultraface_version-RFB-320.onnx")),
            [new BenchInput("input", TensorElementType.Float32, [1, 3, 240, 320], null, null, input)]);
    }

    /// <summary>
    /// UltraFace as exported (its 244 weights also listed as inputs) on every side: the case that
    /// shows the native builds' difference on non-constant Conv weights (ORT 1.32.0 vs 1.30.0).
    /// </summary>
    private static BenchCase UltraFaceAsGivenCase(string shared) => UltraFaceCase(shared) with
    {
        Id = "ultraface_rfb_320_as_given",
        Description = "UltraFace RFB-320 exactly as exported, weights left overridable on every side (informational, no floor)",
        AsGiven = true,
    };

    /// <summary>The case for Node and the control: the model as Vigil loads it, written once under .build/bench-models.</summary>
    private static BenchCase PeerCase(BenchCase c, string root)
    {
        var (model, removed) = OnnxInitializerInputs.Remove(File.ReadAllBytes(c.ModelPath));
        if (removed == 0) return c;
        var dir = Path.Combine(root, ".build", "bench-models");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, c.Id + ".weights-constant.onnx");
        File.WriteAllBytes(path, model);
        return c with { ModelPath = path };
    }

    private static BenchCase PfldCase(string shared)
    {
        var input = RequireFile(Path.Combine(shared, "assets", "expected", "pfld_input_headpose011.bin"));
        return new BenchCase("pfld_68", "PFLD 68-point landmarks, input [1,3,112,112] (headpose011 face crop)",
            RequireFile(Path.Combine(shared, "assets", "models", "pfld_68pt_112x112.onnx")),
            [new BenchInput("input", TensorElementType.Float32, [1, 3, 112, 112], null, null, input)]);
    }

    private static float[] ReadFloats(BenchInput i) =>
        i.File is null ? i.Floats! : System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(i.File)).ToArray();

    private static Tensor ToTensor(BenchInput i)
    {
        if (i.File is not null)
        {
            var bytes = File.ReadAllBytes(i.File);
            return DenseTensor<float>.CopyOf(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes), new TensorShape(i.Dims));
        }
        return i.Floats is not null
            ? DenseTensor<float>.Wrap(i.Floats, i.Dims)
            : DenseTensor<long>.Wrap(i.Longs!, i.Dims);
    }

    private static string RequireFile(string path) =>
        File.Exists(path) ? path : throw new CommandLineException($"benchmark input '{path}' is missing (the shared assets folder beside the repository, or VIGIL_SHARED)");

    private static void PrintTable(JsonArray results)
    {
        Console.WriteLine($"{"model",-20} {"vigil/s",12} {"vigil async/s",14} {"node/s",12} {"ratio",7}");
        foreach (var r in results)
        {
            var node = r!["node_inferences_per_s"]?.GetValue<double>();
            var ratio = r["ratio"]?.GetValue<double>();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r["model"],-20} {r["vigil_inferences_per_s"]!.GetValue<double>(),12:F1} {r["vigil_async_inferences_per_s"]!.GetValue<double>(),14:F1} {(node is null ? "n/a" : node.Value.ToString("F1", CultureInfo.InvariantCulture)),12} {(ratio is null ? "n/a" : ratio.Value.ToString("F2", CultureInfo.InvariantCulture)),7}"));
            if (r["node_error"] is { } err) Console.WriteLine($"  node: {err}");
        }
    }

    private static double Median(List<double> xs)
    {
        var s = xs.OrderBy(x => x).ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
    }

    private static double Round(double x) => Math.Round(x, 1);

    private static JsonArray Rounds(List<double> xs) => new(xs.Select(x => (JsonNode)Math.Round(x, 1)).ToArray());
}
