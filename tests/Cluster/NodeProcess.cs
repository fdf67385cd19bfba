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
        string path = Path.Combine(Path.GetTempPath(), $"vigil-test-{name}-{Guid.NewGuid():N}.conf");
        await File.WriteAllTextAsync(path, conf);
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
        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(node._ready.Task, exited, Task.Delay(TimeSpan.FromSeconds(30)));
        if (first != node._ready.Task)
        {
            string why = first == exited ? $"exited with {process.ExitCode}" : "not ready within 30 s";
            await node.DisposeAsync();
            throw new InvalidOperationException($"node {name} {why}:\n{node.Output}");
        }
        return node;
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

    /// <summary>cluster.conf text for a test node.</summary>
    public static string Conf(string name, string roles, string models, string extra = "") => $"""
        [broker]
        hosts = localhost:5672
        [node]
        name = {name}
        roles = {roles}
        {models}
        [timeouts]
        heartbeat = 300ms
        node_expiry = 2s
        reconnect_min = 200ms
        reconnect_max = 1s
        handoff = 5s
        drain = 20s
        {extra}
        """;

    /// <summary>A [model] section.</summary>
    public static string Model(string id, int capacity, int delayMs, string handler = "echo") => $"""
        [model {id}]
        version = 1
        capacity = {capacity}
        handler = {handler}
        delay = {delayMs}ms
        """;
}
