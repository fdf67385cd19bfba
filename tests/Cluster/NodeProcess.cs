using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Vigil.Cluster.Tests;

/// <summary>A real node process (the test node host running NodeRunner, as `vigil node` does).</summary>
internal sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _configPath;

    public string Name { get; }
    public int Pid => _process.Id;

    private NodeProcess(string name, Process process, string configPath)
    {
        Name = name; _process = process; _configPath = configPath;
    }

    /// <summary>Writes <paramref name="conf"/> to a temporary cluster.conf, starts the node and waits for its ready line.</summary>
    public static async Task<NodeProcess> StartAsync(string name, string conf)
    {
        var node = Launch(name, conf);
        await node.WaitReadyAsync();
        return node;
    }

    /// <summary>Starts several nodes at once (they join each other) and waits for all of them.</summary>
    public static async Task<NodeProcess[]> StartAllAsync(params (string Name, string Conf)[] nodes)
    {
        var started = nodes.Select(n => Launch(n.Name, n.Conf)).ToArray();
        try { await Task.WhenAll(started.Select(n => n.WaitReadyAsync())); }
        catch
        {
            foreach (var n in started) await n.DisposeAsync();
            throw;
        }
        return started;
    }

    private static NodeProcess Launch(string name, string conf)
    {
        string path = Path.Combine(Path.GetTempPath(), $"vigil-test-{name}-{Guid.NewGuid():N}.conf");
        File.WriteAllText(path, conf);
        string host = Path.Combine(AppContext.BaseDirectory, "vigil-node-host.dll");
        if (!File.Exists(host)) throw new FileNotFoundException($"node host not built next to the tests: {host}");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { host, "node", "--config", path }) psi.ArgumentList.Add(a);
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start dotnet");
        var node = new NodeProcess(name, process, path);
        process.OutputDataReceived += (_, e) => node.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => node.OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return node;
    }

    private async Task WaitReadyAsync()
    {
        var node = this;
        var process = _process;
        string name = Name;
        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(node._ready.Task, exited, Task.Delay(TimeSpan.FromSeconds(60)));
        if (first != node._ready.Task)
        {
            string why = first == exited ? $"exited with {process.ExitCode}" : "not ready within 60 s";
            await node.DisposeAsync();
            throw new InvalidOperationException($"node {name} {why}:\n{node.Output}");
        }
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
        if (line.Contains(" ready: ", StringComparison.Ordinal)) _ready.TrySetResult();
    }

    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>kill -9.</summary>
    public void Kill() => _process.Kill(entireProcessTree: false);

    /// <summary>kill -TERM: the node drains gracefully.</summary>
    public void Terminate()
    {
        if (SysKill(_process.Id, 15) != 0) throw new InvalidOperationException($"kill -TERM {_process.Id} failed");
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout);
        return _process.ExitCode;
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SysKill(int pid, int signal);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        File.Delete(_configPath);
    }
}
