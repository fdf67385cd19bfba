using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vigil.Models.Tensors;

namespace Vigil.Cli.Benchmarks;

/// <summary>
/// The Node side of <c>vigil bench models</c>: a long-lived <c>node bench/node/bench.js</c> process
/// holding one onnxruntime-node session, asked for one timed round at a time over stdin so its
/// rounds interleave with Vigil's.
/// </summary>
internal sealed class NodeRunner : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _specPath;
    private readonly Queue<string> _stderrTail = new();

    private NodeRunner(Process process, string specPath)
    {
        _process = process;
        _specPath = specPath;
        // Drain stderr continuously: a full pipe would block node (ORT warnings can be long).
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_stderrTail)
            {
                _stderrTail.Enqueue(e.Data);
                if (_stderrTail.Count > 20) _stderrTail.Dequeue();
            }
        };
        _process.BeginErrorReadLine();
    }

    private string StderrTail()
    {
        lock (_stderrTail) return string.Join(" | ", _stderrTail);
    }

    /// <summary>Starts node with the case's model and inputs, and waits until its session is warm.</summary>
    public static async Task<NodeRunner> StartAsync(string root, ModelsBenchmark.BenchCase c, Vigil.Models.Onnx.OnnxSessionOptions settings)
    {
        var spec = new JsonObject
        {
            ["model"] = c.ModelPath,
            ["intraOpThreads"] = settings.IntraOpThreads,
            ["interOpThreads"] = settings.InterOpThreads,
            ["enableCpuMemArena"] = settings.EnableCpuMemArena,
            ["enableMemPattern"] = settings.EnableMemoryPattern,
            ["allowSpinning"] = settings.AllowSpinning,
            ["warmup"] = 100,
            ["inputs"] = new JsonArray(c.Inputs.Select(i => (JsonNode)new JsonObject
            {
                ["name"] = i.Name,
                ["type"] = i.Type == TensorElementType.Int64 ? "int64" : "float32",
                ["dims"] = new JsonArray(i.Dims.Select(d => (JsonNode)d).ToArray()),
                ["file"] = i.File,
                ["values"] = i.File is not null ? null
                    : i.Floats is not null ? new JsonArray(i.Floats.Select(f => (JsonNode)f).ToArray())
                    : new JsonArray(i.Longs!.Select(l => (JsonNode)l).ToArray()),
            }).ToArray()),
        };
        var specPath = Path.Combine(Path.GetTempPath(), $"vigil-bench-node-{Environment.ProcessId}-{c.Id}.json");
        await File.WriteAllTextAsync(specPath, spec.ToJsonString());
        var dir = Path.Combine(root, "bench", "node");
        var psi = new ProcessStartInfo("node", [Path.Combine(dir, "bench.js"), specPath])
        {
            WorkingDirectory = dir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException("node did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            File.Delete(specPath);
            throw new InvalidOperationException("node is not available: " + e.Message, e);
        }
        var runner = new NodeRunner(process, specPath);
        try
        {
            using var ready = await runner.ReadLineAsync();
            if (!ready.RootElement.TryGetProperty("ready", out _))
                throw new InvalidOperationException("node bench.js did not become ready: " + ready.RootElement.GetRawText());
            return runner;
        }
        catch (Exception e)
        {
            await runner.DisposeAsync();
            throw e as InvalidOperationException ?? new InvalidOperationException("node bench.js did not start: " + e.Message, e);
        }
    }

    /// <summary>One timed round in node: inferences per wall-clock second and per CPU second of the node process.</summary>
    public async Task<(double PerSecond, double PerCpuSecond)> RoundAsync(double seconds)
    {
        await _process.StandardInput.WriteLineAsync(FormattableString.Invariant($"round {seconds}"));
        await _process.StandardInput.FlushAsync();
        using var reply = await ReadLineAsync();
        return reply.RootElement.TryGetProperty("inferences_per_s", out var v) && reply.RootElement.TryGetProperty("inferences_per_cpu_s", out var c)
            ? (v.GetDouble(), c.GetDouble())
            : throw new InvalidOperationException("node bench.js: " + reply.RootElement.GetRawText());
    }

    private async Task<JsonDocument> ReadLineAsync()
    {
        var line = await _process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(10));
        if (line is null)
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            throw new InvalidOperationException("node bench.js exited: " + StderrTail());
        }
        return JsonDocument.Parse(line);
    }

    /// <summary>Asks node to quit (kills it if it does not) and removes the spec file.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                await _process.StandardInput.WriteLineAsync("quit");
                await _process.StandardInput.FlushAsync();
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (Exception e) when (e is IOException or TimeoutException or InvalidOperationException)
        {
            _process.Kill();
        }
        finally
        {
            _process.Dispose();
            File.Delete(_specPath);
        }
    }
}
