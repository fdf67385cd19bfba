using System.Diagnostics;
using Vigil.Imaging.Dicom;

namespace Vigil.Imaging.Tests.Dicom;

/// <summary>
/// Compressed DICOM made by DCMTK's own encoders, read back through Vigil's reader (which calls the
/// DCMTK decoders). These need the Debian package dcmtk (scripts/setup apt) and fail clearly without it.
/// </summary>
public sealed class DcmtkCompressedTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-dcmtk-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static void RunTool(string tool, params string[] args)
    {
        var exe = new[] { "/usr/bin", "/usr/local/bin" }.Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException($"This test needs DCMTK's '{tool}' (Debian package dcmtk); run scripts/setup apt.");
        var psi = new ProcessStartInfo(exe) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{tool} failed: {err}");
    }

    private (string Path, float[] Pixels) Original(int bits)
    {
        const int cols = 64, rows = 48;
        var values = Enumerable.Range(0, cols * rows).Select(i => (i * 37 + (i / cols) * 11) % (1 << bits)).ToArray();
        var w = new DicomTestWriter().String(DicomTag.PatientSex, "CS", "M").String(DicomTag.PatientAge, "AS", "007Y")
            .Image(cols, rows, 16, bits, bits - 1, false, "MONOCHROME2", []).PixelData(DicomTestWriter.U16(values));
        return (w.Save(_dir, $"orig{bits}.dcm"), values.Select(v => (float)v).ToArray());
    }

    [Theory]
    [InlineData("dcmcjpeg", "1.2.840.10008.1.2.4.70", 12)]
    [InlineData("dcmcjpeg", "1.2.840.10008.1.2.4.70", 16)]
    [InlineData("dcmcjpls", "1.2.840.10008.1.2.4.80", 12)]
    [InlineData("dcmcrle", "1.2.840.10008.1.2.5", 16)]
    public void Read_LosslessCompressedByDcmtk_EqualsOriginalPixels(string encoder, string expectedSyntax, int bits)
    {
        var (orig, pixels) = Original(bits);
        var compressed = Path.Combine(_dir, "c.dcm");
        RunTool(encoder, orig, compressed);

        var r = DicomReader.Read(compressed);

        Assert.Equal("DICOM " + expectedSyntax, r.Format);
        Assert.Equal(pixels, r.Image.Pixels);
        Assert.Equal(84.0, r.Metadata.ChronologicalAgeMonths);
    }

    [Fact]
    public void Read_Img2dcmBaselineJpeg_DecodesToImageOfTheJpegSize()
    {
        var jpeg = Path.Combine(_dir, "hand.jpg");
        var src = Vigil.Tests.Common.SharedData.Require("assets/radiographs/rsna_1381_preprocessed_by_repo.png");
        var ff = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true };
        foreach (var a in new[] { "-v", "error", "-y", "-i", src, "-pix_fmt", "gray", jpeg }) ff.ArgumentList.Add(a);
        using (var p = Process.Start(ff)!) { p.WaitForExit(); Assert.Equal(0, p.ExitCode); }
        var dcm = Path.Combine(_dir, "hand.dcm");
        RunTool("img2dcm", jpeg, dcm, "-k", "PatientSex=F", "-k", "PatientAge=006Y");

        var r = DicomReader.Read(dcm);

        Assert.Equal(400, r.Image.Width);
        Assert.Equal(520, r.Image.Height);
        Assert.StartsWith("DICOM 1.2.840.10008.1.2.4.5", r.Format);
        Assert.Equal(72.0, r.Metadata.ChronologicalAgeMonths);
        var (min, max) = r.Image.Range();
        Assert.True(max - min > 100, $"decoded JPEG looks flat: {min}..{max}");
    }
}
