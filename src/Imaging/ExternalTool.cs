using System.Diagnostics;

namespace Vigil.Imaging;

/// <summary>Finds and runs command-line decoders (DCMTK, ffmpeg) that <c>scripts/setup apt</c> installs.</summary>
public static class ExternalTool
{
    /// <summary>The full path of <paramref name="name"/> on PATH, or null when it is not installed.</summary>
    public static string? Find(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>
    /// Runs <paramref name="exe"/> and returns its stdout bytes; throws <see cref="IOException"/>
    /// with the tool's stderr when it exits non-zero or overruns <paramref name="timeout"/>.
    /// </summary>
    public static byte[] Run(string exe, IEnumerable<string> args, TimeSpan timeout, CancellationToken ct = default)
    {
        var psi = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new IOException($"could not start {exe}");
        var stderr = p.StandardError.ReadToEndAsync(ct);
        using var stdout = new MemoryStream();
        var copy = p.StandardOutput.BaseStream.CopyToAsync(stdout, ct);
        if (!p.WaitForExit(timeout))
        {
            try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw new IOException($"{Path.GetFileName(exe)} did not finish within {timeout.TotalSeconds:0} s");
        }
        copy.GetAwaiter().GetResult();
        var err = stderr.GetAwaiter().GetResult().Trim();
        if (p.ExitCode != 0)
            throw new IOException($"{Path.GetFileName(exe)} failed (exit {p.ExitCode}): {(err.Length > 400 ? err[..400] : err)}");
        return stdout.ToArray();
    }
}
