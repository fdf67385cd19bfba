using Vigil.Imaging.Decoding;
using Vigil.Tests.Common;

namespace Vigil.Imaging.Tests;

/// <summary>OpenCV's decode (<see cref="ImageDecoder"/>) against Vigil's PNG decoder and ffmpeg.</summary>
public sealed class ImageDecoderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-cv-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Source => SharedData.Require("assets/radiographs/rsna_1381_preprocessed_by_repo.png");

    [Theory]
    [InlineData("rsna_2182.png")]
    [InlineData("rsna_1541.png")]
    public void Decode_RealRadiograph_EqualsVigilsPngDecoder(string file)
    {
        var bytes = File.ReadAllBytes(SharedData.Require("assets/radiographs/" + file));
        var cv = ImageDecoder.Decode(bytes, file);
        var own = PngDecoder.Decode(bytes, file);
        Assert.Equal((1600, 2080), (cv.Image.Width, cv.Image.Height));
        Assert.Equal("PNG", cv.Format);
        Assert.Equal(own.Image.Pixels, cv.Image.Pixels);
    }

    [Theory]
    [InlineData("gray16be", 1)]
    [InlineData("gray16be", 4)]
    [InlineData("rgb48be", 3)]
    [InlineData("rgb24", 1)]
    [InlineData("ya8", 2)]
    [InlineData("pal8", 1)]
    [InlineData("monob", 2)]
    public void Decode_PixelFormats_MatchVigilsDecoderIncludingReduction(string pixFmt, int factor)
    {
        var png = Path.Combine(_dir, $"{pixFmt}.png");
        Ffmpeg.Run("-i", Source, "-vf", "scale=203:131", "-pix_fmt", pixFmt, png);
        var bytes = File.ReadAllBytes(png);
        var cv = ImageDecoder.Decode(bytes, png, reduction: (_, _) => factor);
        var own = PngDecoder.Decode(bytes, png, reduction: (_, _) => factor);
        Assert.Equal(factor, cv.Reduction);
        Assert.Equal((203 / factor, 131 / factor), (cv.Image.Width, cv.Image.Height));
        Assert.Equal(pixFmt.Contains("16") || pixFmt.Contains("48") ? 16 : 8, cv.BitsStored);
        // Palette colours may round differently between libpng's expansion and Vigil's; all else is exact.
        var tolerance = pixFmt == "pal8" ? 1.01f : pixFmt.StartsWith("rgb", StringComparison.Ordinal) ? 0.02f : 0f;
        for (var i = 0; i < own.Image.Pixels.Length; i++)
            Assert.True(Math.Abs(own.Image.Pixels[i] - cv.Image.Pixels[i]) <= tolerance, $"{pixFmt} pixel {i}: Vigil {own.Image.Pixels[i]}, OpenCV {cv.Image.Pixels[i]}");
    }

    [Fact]
    public void Decode_WithReduction_EqualsFullDecodeThenShrink()
    {
        var bytes = File.ReadAllBytes(SharedData.Require("assets/radiographs/rsna_2182.png"));
        var full = ImageDecoder.Decode(bytes, "f.png");
        var reduced = ImageDecoder.Decode(bytes, "r.png", reduction: (_, _) => 7);
        Assert.Equal(7, reduced.Reduction);
        Assert.Equal(full.Image.ShrinkBy(7).Pixels, reduced.Image.Pixels);
    }

    [Theory]
    [InlineData("gray", "JPEG 8-bit")]
    [InlineData("yuvj444p", "JPEG 8-bit")]
    public void Decode_Jpeg_CloseToFfmpegsDecode(string pixFmt, string format)
    {
        var jpg = Path.Combine(_dir, $"{pixFmt}.jpg");
        Ffmpeg.Run("-i", Source, "-pix_fmt", pixFmt, "-q:v", "2", jpg);
        var r = ImageDecoder.Decode(File.ReadAllBytes(jpg), "h.jpg");
        Assert.Equal((400, 520), (r.Image.Width, r.Image.Height));
        Assert.Equal(format, r.Format);
        var reference = Ffmpeg.Gray8(jpg);
        // Two IDCT implementations (and chroma handling for colour): close, not identical.
        var meanAbs = reference.Select((b, i) => Math.Abs(b - r.Image.Pixels[i])).Average();
        Assert.True(meanAbs < 1.0, $"OpenCV's JPEG decode differs from ffmpeg's by {meanAbs:0.00} grey levels on average");
    }

    [Fact]
    public void Decode_Huge16BitPngWithReduction_KeepsManagedMemorySmall()
    {
        // The worst case, 4000x5000 at 16 bits: OpenCV holds 40 MB of samples natively
        // (released before returning); the floats are only ever the reduced image.
        var png = Path.Combine(_dir, "huge16.png");
        Ffmpeg.Run("-i", SharedData.Require("assets/radiographs/rsna_2182.png"), "-vf", "scale=4000:5000", "-pix_fmt", "gray16be", png);
        var bytes = File.ReadAllBytes(png);
        DecodeReduction reduce = (w, h) => Math.Min(w / 224, h / 224);
        ImageDecoder.Decode(bytes, "warm-up.png", reduction: reduce);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var r = ImageDecoder.Decode(bytes, "huge16.png", reduction: reduce);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(17, r.Reduction);
        Assert.Equal((235, 294), (r.Image.Width, r.Image.Height));
        Assert.Equal(16, r.BitsStored);
        Assert.True(allocated < 4 << 20, $"decoding allocated {allocated / 1048576.0:0.0} MiB of managed memory");
        Assert.Equal(PngDecoder.Decode(bytes, "own.png", reduction: reduce).Image.Pixels, r.Image.Pixels);
    }

    [Fact]
    public void Decode_TruncatedOrCorrupt_ThrowsImageFormatExceptionNamingTheFile()
    {
        var bytes = File.ReadAllBytes(Source);
        foreach (var len in new[] { 7, 8, 20, 40, 100, bytes.Length / 2 })
        {
            var e = Assert.ThrowsAny<Exception>(() => ImageDecoder.Decode(bytes[..len], "cut.png"));
            Assert.IsType<ImageFormatException>(e);
            Assert.StartsWith("cut.png: ", e.Message);
        }
        var jpg = Path.Combine(_dir, "cut.jpg");
        Ffmpeg.Run("-i", Source, "-pix_fmt", "gray", jpg);
        var jpeg = File.ReadAllBytes(jpg);
        var je = Assert.ThrowsAny<Exception>(() => ImageDecoder.Decode(jpeg[..100], "cut.jpg"));
        Assert.IsType<ImageFormatException>(je);
        Assert.StartsWith("cut.jpg: ", je.Message);
    }

    [Fact]
    public void Decode_OverPixelLimit_RefusedFromTheHeader()
    {
        var bytes = File.ReadAllBytes(SharedData.Require("assets/radiographs/rsna_2182.png"));
        var e = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode(bytes, "big.png", maxPixels: 1_000_000));
        Assert.Equal("big.png: image is 1600x2080 = 3328000 pixels, over the limit of 1000000", e.Message);
    }

    [Fact]
    public void Load_Jpeg_GoesThroughOpenCv()
    {
        var jpg = Path.Combine(_dir, "l.jpg");
        Ffmpeg.Run("-i", Source, "-pix_fmt", "gray", jpg);
        var r = RadiographLoader.Load(jpg, reduction: (_, _) => 2);
        Assert.Equal("JPEG 8-bit", r.Format);
        Assert.Equal((200, 260), (r.Image.Width, r.Image.Height));
    }
}
