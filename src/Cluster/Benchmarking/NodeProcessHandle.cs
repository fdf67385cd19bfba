using System.Diagnostics;
using System.Text;

namespace Vigil.Cluster.Benchmarking;

/// <summary>A node process started by the benchmark (its output kept for error messages).</summary>
internal sealed class NodeProcessHandle : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _conf;

    public string Name { get; }

    /// <summary>Where the node's output is kept (for a look after a run).</summary>
    public string LogPath => Path.Combine(Path.GetTempPath(), $"vigil-bench-{Name}.log");

    private NodeProcessHandle(string name, Process process, string conf)
    {
        Name = name; _process = process; _conf = conf;
        File.WriteAllText(LogPath, "");
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static NodeProcessHandle Start(string name, string confText, Func<string, ProcessStartInfo> launcher)
    {
        string conf = Path.Combine(Path.GetTempPath(), $"vigil-bench-{name}-{Guid.NewGuid():N}.conf");
        File.WriteAllText(conf, confText);
        var psi = launcher(conf);
        psi.RedirectStandardOutput = true; psi.RedirectStandardError = true; psi.UseShellExecute = false;
        return new NodeProcessHandle(name, Process.Start(psi) ?? throw new InvalidOperationException($"could not start node {name}"), conf);
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            _output.AppendLine(line);
            File.AppendAllText(LogPath, line + Environment.NewLine);
        }
        if (line.Contains(" ready: ", StringComparison.Ordinal)) _ready.TrySetResult();
    }

    public string Output { get { lock (_output) return _output.ToString(); } }

    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(_ready.Task, exited, Task.Delay(timeout)).ConfigureAwait(false);
        if (first != _ready.Task)
            throw new InvalidOperationException($"node {Name} {(first == exited ? $"exited with {_process.ExitCode}" : "was not ready in time")}: {Output}");
    }

    /// <summary>kill -9.</summary>
    public void Kill() => _process.Kill(entireProcessTree: false);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }
        _process.Dispose();
        File.Delete(_conf);
    }
}
