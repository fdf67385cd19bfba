using System.Diagnostics;
using Vigil.Models.Onnx;
using Vigil.Models.Tensors;
using Ort = Microsoft.ML.OnnxRuntime;

namespace Vigil.Cli.Benchmarks;

/// <summary>
/// The control of <c>vigil bench models</c>: the same model and settings on Microsoft.ML.OnnxRuntime's
/// own API with nothing of Vigil's in between (<c>InferenceSession.Run</c> with <c>OrtValue</c>s made
/// once, ORT allocating the outputs). Vigil against it isolates Vigil's binding (validation, pooled
/// pre-allocated outputs, IOBinding); it against Node isolates the two native builds and Node's binding.
/// </summary>
internal sealed class PlainOrtRunner : IDisposable
{
    private readonly Ort.InferenceSession _session;
    private readonly Ort.RunOptions _runOptions = new();
    private readonly Ort.OrtValue[] _inputs;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;

    public PlainOrtRunner(ModelsBenchmark.BenchCase c, Func<ModelsBenchmark.BenchInput, float[]> floats, OnnxSessionOptions settings)
    {
        using var options = new Ort.SessionOptions
        {
            IntraOpNumThreads = settings.IntraOpThreads,
            InterOpNumThreads = settings.InterOpThreads,
            ExecutionMode = settings.ParallelExecution ? Ort.ExecutionMode.ORT_PARALLEL : Ort.ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = Ort.GraphOptimizationLevel.ORT_ENABLE_ALL,
            EnableCpuMemArena = settings.EnableCpuMemArena,
            EnableMemoryPattern = settings.EnableMemoryPattern,
            LogSeverityLevel = Ort.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        var spin = settings.AllowSpinning ? "1" : "0";
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", spin);
        options.AddSessionConfigEntry("session.inter_op.allow_spinning", spin);
        _session = new Ort.InferenceSession(c.ModelPath, options);
        _inputNames = c.Inputs.Select(i => i.Name).ToArray();
        _inputs = c.Inputs.Select(i => i.Type == TensorElementType.Float32
            ? Ort.OrtValue.CreateTensorValueFromMemory(floats(i), i.Dims)
            : Ort.OrtValue.CreateTensorValueFromMemory(i.Longs!, i.Dims)).ToArray();
        _outputNames = _session.OutputNames.ToArray();
        for (var k = 0; k < 20; k++) Run();
    }

    private void Run()
    {
        using var outputs = _session.Run(_runOptions, _inputNames, _inputs, _outputNames);
    }

    /// <summary>One timed round: inferences per wall second and per process CPU second.</summary>
    public (double PerSecond, double PerCpuSecond) Round(double seconds)
    {
        using var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        var n = 0;
        do { Run(); n++; } while (sw.Elapsed.TotalSeconds < seconds);
        self.Refresh();
        return (n / sw.Elapsed.TotalSeconds, n / (self.TotalProcessorTime - cpu).TotalSeconds);
    }

    public void Dispose()
    {
        foreach (var v in _inputs) v.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }
}
