using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vigil.Models.Onnx;
using Vigil.Models.Tensors;

namespace Vigil.Cli.Benchmarks;

/// <summary>
/// <c>vigil bench gpu [--runs N (50)] [--batch B (32)]</c>: which execution provider ONNX Runtime
/// really uses here, and whether CUDA and CPU agree. Opens UltraFace and PFLD twice, asking for
/// ["CUDA","CPU"] and for ["CPU"], prints the providers each session got (and the logged fallback
/// reason, if any), runs the same inputs on both and reports the largest difference between them
/// and from the stored CPU reference outputs, with mean milliseconds per run. Exit 0 when CUDA ran
/// and agrees with CPU within 5e-3; 1 otherwise (the JSON says why). Run by scripts/gpu-check.
/// </summary>
internal static class GpuCheckBenchmark
{
    // ONNX Runtime's CUDA provider runs convolutions in TF32 on Ampere and later (its default): on an
    // H200 UltraFace's scores differed from CPU by up to 1.5e-3 and PFLD's by 3e-4 (docs/onnx.md).
    // 5e-3 accepts that rounding while still catching a wrong kernel or layout.
    private const double Tolerance = 5e-3;

    public static Task<int> RunAsync(string[] args)
    {
        var a = new CommandArguments(args, "json");
        a.Flag("json");
        var runs = a.GetInt("runs", 50);
        var batch = a.GetInt("batch", 32);
        a.RejectUnknown();
        if (runs < 1 || batch < 1) throw new CommandLineException("--runs and --batch must be at least 1");
        var shared = RepositoryPaths.Shared;
        string Asset(string relative) => File.Exists(Path.Combine(shared, relative)) ? Path.Combine(shared, relative)
            : throw new CommandLineException($"gpu check input '{Path.Combine(shared, relative)}' is missing (set VIGIL_SHARED)");

        var logged = new List<string>();
        var ultraInput = ReadFloats(Asset("assets/expected/ultraface_input_headpose011.bin"));
        var pfldInput = ReadFloats(Asset("assets/expected/pfld_input_headpose011.bin"));
        var batched = new float[pfldInput.Length * batch];
        for (var i = 0; i < batch; i++) pfldInput.CopyTo(batched, i * pfldInput.Length);
        var cases = new JsonArray
        {
            Compare("ultraface_rfb_320", Asset("assets/models/ultraface_version-RFB-320.onnx"), "input", ultraInput, [1, 3, 240, 320],
                "scores", ReadFloats(Asset("assets/expected/ultraface_out_headpose011_scores.bin")), runs, logged),
            Compare($"pfld_68_batch{batch}", Asset("assets/models/pfld_68pt_112x112.onnx"), "input", batched, [batch, 3, 112, 112],
                "output", Repeat(ReadFloats(Asset("assets/expected/pfld_out_headpose011_output.bin")), batch), runs, logged),
        };
        var cudaRan = cases.All(c => c!["cuda_session_providers"]!.AsArray().Any(p => p!.GetValue<string>() == "CUDA"));
        var agree = cases.All(c => c!["max_abs_diff_cuda_vs_cpu"]!.GetValue<double>() <= Tolerance);
        var output = new JsonObject
        {
            ["benchmark"] = "gpu-check",
            ["package"] = OnnxRuntimeInfo.Package,
            ["build"] = OnnxRuntimeInfo.Build,
            ["available_providers"] = new JsonArray(OnnxRuntimeInfo.AvailableProviders.Select(p => (JsonNode)p).ToArray()),
            ["provider_that_ran"] = cudaRan ? "CUDA" : "CPU",
            ["fallback_log"] = new JsonArray(logged.Select(l => (JsonNode)l).ToArray()),
            ["tolerance"] = Tolerance,
            ["cuda_matches_cpu"] = agree,
            ["cases"] = cases,
            ["verdict"] = cudaRan && agree ? "PASS: CUDA ran and matches CPU" : cudaRan ? "FAIL: CUDA ran but differs from CPU" : "FAIL: CUDA did not run (see fallback_log)",
        };
        Console.WriteLine(output.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return Task.FromResult(cudaRan && agree ? 0 : 1);
    }

    private static JsonObject Compare(string id, string model, string inputName, float[] input, long[] dims,
        string outputName, float[] reference, int runs, List<string> logged)
    {
        using var cuda = OnnxSession.Load(model, new OnnxSessionOptions { ModelId = id, ExecutionProviders = [OnnxSessionOptions.Cuda, OnnxSessionOptions.Cpu], Log = logged.Add });
        using var cpu = OnnxSession.Load(model, new OnnxSessionOptions { ModelId = id + "-cpu", ExecutionProviders = [OnnxSessionOptions.Cpu] });
        using var tensor = DenseTensor<float>.Wrap(input, dims);
        var (cudaOut, cudaMs) = Time(cuda, inputName, tensor, outputName, runs);
        var (cpuOut, cpuMs) = Time(cpu, inputName, tensor, outputName, runs);
        return new JsonObject
        {
            ["model"] = id,
            ["input_shape"] = "[" + string.Join(",", dims) + "]",
            ["cuda_session_providers"] = new JsonArray(cuda.ExecutionProviders.Select(p => (JsonNode)p).ToArray()),
            ["cuda_session_fallback"] = cuda.FallbackReason,
            ["cpu_session_providers"] = new JsonArray(cpu.ExecutionProviders.Select(p => (JsonNode)p).ToArray()),
            ["max_abs_diff_cuda_vs_cpu"] = MaxDiff(cudaOut, cpuOut),
            ["max_abs_diff_cpu_vs_reference"] = MaxDiff(cpuOut, reference),
            ["max_abs_diff_cuda_vs_reference"] = MaxDiff(cudaOut, reference),
            ["cuda_session_ms_per_run"] = Math.Round(cudaMs, 3),
            ["cpu_session_ms_per_run"] = Math.Round(cpuMs, 3),
            ["runs"] = runs,
        };
    }

    private static (float[] Output, double MsPerRun) Time(OnnxSession session, string inputName, Tensor input, string outputName, int runs)
    {
        float[] first;
        using (var warm = session.Run(inputName, input)) first = warm.Get<float>(outputName).ToArray();
        for (var i = 0; i < 3; i++) session.Run(inputName, input).Dispose();
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < runs; i++) session.Run(inputName, input).Dispose();
        return (first, sw.Elapsed.TotalMilliseconds / runs);
    }

    private static double MaxDiff(float[] a, float[] b)
    {
        if (a.Length != b.Length) return double.PositiveInfinity;
        double max = 0;
        for (var i = 0; i < a.Length; i++) max = Math.Max(max, Math.Abs(a[i] - b[i]));
        return max;
    }

    private static float[] Repeat(float[] row, int times)
    {
        var result = new float[row.Length * times];
        for (var i = 0; i < times; i++) row.CopyTo(result, i * row.Length);
        return result;
    }

    private static float[] ReadFloats(string path) => MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(path)).ToArray();
}
