using System.Diagnostics;

namespace Vigil.Imaging.Tests;

/// <summary>Runs ffmpeg for tests (re-encoding images, reference decodes); fails clearly when it is absent.</summary>
internal static class Ffmpeg
{
    public static byte[] Run(params string[] args)
    {
        var exe = File.Exists("/usr/bin/ffmpeg") ? "/usr/bin/ffmpeg"
            : throw new InvalidOperationException("This test needs ffmpeg (Debian package ffmpeg); run scripts/setup apt.");
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-v", "error", "-nostdin", "-y" }.Concat(args)) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        using var ms = new MemoryStream();
        p.StandardOutput.BaseStream.CopyTo(ms);
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException("ffmpeg failed: " + err.Result);
        return ms.ToArray();
    }

    /// <summary>ffmpeg's own decode of <paramref name="path"/> to 8-bit grey.</summary>
    public static byte[] Gray8(string path) => Run("-i", path, "-f", "rawvideo", "-pix_fmt", "gray", "-");
}
