using System.Diagnostics;
using Vigil.Imaging;
using Vigil.Imaging.Decoding;

namespace Vigil.BoneAge.Scoring;

/// <summary>
/// Vigil's own PNG decoder against OpenCV's decode on the same files, one thread, alternating
/// rounds, best round of each: at full size and with the box-shrink the scorer asks for a
/// 112×112 model (factor 7 on a 1600×2080 radiograph).
/// </summary>
public static class PngDecodeComparison
{
    /// <summary>Times both decoders on the PNGs among <paramref name="files"/>.</summary>
    public static PngDecodeComparisonResult Run(IReadOnlyList<string> files, int rounds = 3)
    {
        var pngs = files.Where(f => f.EndsWith(".png", StringComparison.OrdinalIgnoreCase)).Select(f => (Path: f, Bytes: File.ReadAllBytes(f))).ToArray();
        if (pngs.Length == 0) throw new ArgumentException("no PNG files to decode", nameof(files));
        DecodeReduction reduce = new Preprocessing.Preprocessor(new Preprocessing.PreprocessingOptions { Width = 112, Height = 112 }).ReductionFor;
        double Time(Func<byte[], string, Radiograph> decode)
        {
            var sw = Stopwatch.StartNew();
            foreach (var (path, bytes) in pngs) decode(bytes, path);
            return sw.Elapsed.TotalMilliseconds / pngs.Length;
        }
        Radiograph VigilFull(byte[] b, string n) => PngDecoder.Decode(b, n);
        Radiograph OpenCvFull(byte[] b, string n) => ImageDecoder.Decode(b, n);
        Radiograph VigilReduced(byte[] b, string n) => PngDecoder.Decode(b, n, reduction: reduce);
        Radiograph OpenCvReduced(byte[] b, string n) => ImageDecoder.Decode(b, n, reduction: reduce);
        // Warm-up (JIT, OpenCV's first-call set-up), then the same pixels must come out of both.
        var (pv, po) = (VigilReduced(pngs[0].Bytes, "a"), OpenCvReduced(pngs[0].Bytes, "b"));
        if (!pv.Image.Pixels.AsSpan().SequenceEqual(po.Image.Pixels))
            throw new InvalidOperationException($"{Path.GetFileName(pngs[0].Path)}: the two decoders disagree; timing them would compare different work");
        var (vf, of, vr, or) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
        for (var r = 0; r < rounds; r++)
        {
            vf.Add(Time(VigilFull));
            of.Add(Time(OpenCvFull));
            vr.Add(Time(VigilReduced));
            or.Add(Time(OpenCvReduced));
        }
        return new PngDecodeComparisonResult
        {
            Files = pngs.Length,
            VigilFullMs = vf.Min(),
            OpenCvFullMs = of.Min(),
            VigilReducedMs = vr.Min(),
            OpenCvReducedMs = or.Min(),
            ReductionFactor = pv.Reduction,
        };
    }
}

/// <summary>Milliseconds per image, best round, one thread, for each decoder; ratios above 1 mean OpenCV is faster.</summary>
public sealed record PngDecodeComparisonResult
{
    /// <summary>PNG files decoded per round.</summary>
    public int Files { get; init; }
    /// <summary>Factor of the reduced decode (first file).</summary>
    public int ReductionFactor { get; init; }
    /// <summary>Vigil's decoder, full size, ms per image.</summary>
    public double VigilFullMs { get; init; }
    /// <summary>OpenCV, full size, ms per image.</summary>
    public double OpenCvFullMs { get; init; }
    /// <summary>Vigil's decoder shrinking while decoding, ms per image.</summary>
    public double VigilReducedMs { get; init; }
    /// <summary>OpenCV decode then the same shrink, ms per image.</summary>
    public double OpenCvReducedMs { get; init; }
    /// <summary>Vigil / OpenCV time at full size.</summary>
    public double OpenCvSpeedupFull => OpenCvFullMs > 0 ? VigilFullMs / OpenCvFullMs : 0;
    /// <summary>Vigil / OpenCV time with reduction.</summary>
    public double OpenCvSpeedupReduced => OpenCvReducedMs > 0 ? VigilReducedMs / OpenCvReducedMs : 0;
}
