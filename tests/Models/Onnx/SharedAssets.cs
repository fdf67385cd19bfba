using System.Diagnostics;
using System.Runtime.InteropServices;
using Vigil.Tests.Common;

namespace Vigil.Models.Tests.Onnx;

/// <summary>Reads the raw reference tensors and images in ../shared/assets/ for the model tests.</summary>
internal static class SharedAssets
{
    public static string Model(string file) => SharedData.Require("assets/models/" + file);

    public static string Expected(string file) => SharedData.Require("assets/expected/" + file);

    /// <summary>A little-endian float32 .bin file.</summary>
    public static float[] ReadFloats(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length % 4 == 0, $"{path} is not a float32 file ({bytes.Length} bytes)");
        return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
    }

    /// <summary>
    /// Decodes a PNG to packed 8-bit BGR pixels with ffmpeg (lossless, so exact), as the YuNet
    /// reference input was built.
    /// </summary>
    public static byte[] DecodeBgr(string png, int width, int height)
    {
        var psi = new ProcessStartInfo("ffmpeg", ["-v", "error", "-i", png, "-f", "rawvideo", "-pix_fmt", "bgr24", "-"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("ffmpeg did not start (run scripts/setup apt)");
        using var ms = new MemoryStream();
        var errors = process.StandardError.ReadToEndAsync();
        process.StandardOutput.BaseStream.CopyTo(ms);
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, "ffmpeg failed: " + errors.Result);
        var pixels = ms.ToArray();
        Assert.Equal(width * height * 3, pixels.Length);
        return pixels;
    }
}
