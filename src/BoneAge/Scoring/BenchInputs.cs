using System.Diagnostics;
using Vigil.Imaging;

namespace Vigil.BoneAge.Scoring;

/// <summary>
/// The benchmark's input files: the eight full-size RSNA PNGs as they are, plus DICOM copies of
/// four of them (made with ffmpeg → BMP → DCMTK img2dcm, uncompressed) so both formats are timed.
/// </summary>
public static class BenchInputs
{
    /// <summary>Returns PNG paths from <paramref name="radiographs"/> and DICOM files written to <paramref name="work"/>.</summary>
    public static IReadOnlyList<string> Prepare(string radiographs, string work)
    {
        var pngs = Directory.GetFiles(radiographs, "rsna_*.png").Where(f => !f.Contains("1381", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        var files = new List<string>(pngs);
        var ffmpeg = ExternalTool.Find("ffmpeg");
        var img2dcm = ExternalTool.Find("img2dcm");
        if (ffmpeg is null || img2dcm is null) return files;
        foreach (var png in pngs.Take(4))
        {
            var bmp = Path.Combine(work, Path.GetFileNameWithoutExtension(png) + ".bmp");
            var dcm = Path.Combine(work, Path.GetFileNameWithoutExtension(png) + ".dcm");
            ExternalTool.Run(ffmpeg, ["-v", "error", "-nostdin", "-y", "-i", png, "-pix_fmt", "gray", bmp], TimeSpan.FromSeconds(60));
            ExternalTool.Run(img2dcm, ["-i", "BMP", bmp, dcm, "-k", "PatientSex=F", "-k", "PatientAge=010Y"], TimeSpan.FromSeconds(60));
            File.Delete(bmp);
            files.Add(dcm);
        }
        return files;
    }
}
