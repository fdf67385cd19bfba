using Vigil.Imaging.Decoding;
using Vigil.Tests.Common;

namespace Vigil.Imaging.Tests;

public sealed class PngDecoderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-png-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("rsna_2182.png")]
    [InlineData("rsna_1541.png")]
    public void Decode_RealGreyRadiograph_EqualsFfmpegDecode(string file)
    {
        var path = SharedData.Require("assets/radiographs/" + file);
        var r = PngDecoder.Decode(File.ReadAllBytes(path), file);
        var reference = Ffmpeg.Gray8(path);
        Assert.Equal(1600, r.Image.Width);
        Assert.Equal(2080, r.Image.Height);
        Assert.Equal(reference.Select(b => (float)b), r.Image.Pixels);
    }

    [Fact]
    public void Decode_RealRgbaRadiograph_MatchesFfmpegGreyWithinRounding()
    {
        var path = SharedData.Require("assets/radiographs/rsna_1381_original.png");
        var r = PngDecoder.Decode(File.ReadAllBytes(path), "1381");
        var reference = Ffmpeg.Gray8(path);
        Assert.Equal((385, 520), (r.Image.Width, r.Image.Height));
        for (var i = 0; i < reference.Length; i++) Assert.True(Math.Abs(reference[i] - r.Image.Pixels[i]) <= 1.01f, $"pixel {i}: {reference[i]} vs {r.Image.Pixels[i]}");
    }

    [Theory]
    [InlineData("gray", "none")]
    [InlineData("gray", "mixed")]
    [InlineData("gray16be", "mixed")]
    [InlineData("gray16be", "paeth")]
    [InlineData("gray", "paeth")]
    [InlineData("rgb24", "paeth")]
    [InlineData("rgb48be", "avg")]
    [InlineData("ya8", "sub")]
    [InlineData("rgba", "up")]
    [InlineData("pal8", "none")]
    [InlineData("monob", "none")]
    public void Decode_PixelFormatsAndFilters_MatchFfmpeg(string pixFmt, string pred)
    {
        var src = SharedData.Require("assets/radiographs/rsna_1381_preprocessed_by_repo.png");
        var png = Path.Combine(_dir, $"{pixFmt}-{pred}.png");
        // An odd size exercises partial bytes in low-bit rows.
        Ffmpeg.Run("-i", src, "-vf", "scale=203:131", "-pix_fmt", pixFmt, "-pred", pred, png);
        var r = PngDecoder.Decode(File.ReadAllBytes(png), png);
        Assert.Equal((203, 131), (r.Image.Width, r.Image.Height));
        if (pixFmt is "gray16be")
        {
            var reference = Ffmpeg.Run("-i", png, "-f", "rawvideo", "-pix_fmt", "gray16le", "-");
            for (var i = 0; i < r.Image.Pixels.Length; i++) Assert.Equal(BitConverter.ToUInt16(reference, 2 * i), r.Image.Pixels[i]);
            return;
        }
        if (pixFmt is "rgb24" or "rgb48be" or "rgba")
        {
            // Colour: the reference is ffmpeg's exact 16-bit RGB decode through the same BT.601 luma.
            var wide = pixFmt == "rgb48be";
            var rgb = Ffmpeg.Run("-i", png, "-f", "rawvideo", "-pix_fmt", wide ? "rgb48le" : "rgb24", "-");
            float At(int k) => wide ? BitConverter.ToUInt16(rgb, 2 * k) : rgb[k];
            for (var i = 0; i < r.Image.Pixels.Length; i++)
            {
                var luma = 0.299f * At(3 * i) + 0.587f * At(3 * i + 1) + 0.114f * At(3 * i + 2);
                Assert.True(Math.Abs(luma - r.Image.Pixels[i]) <= 0.01f, $"{pixFmt} pixel {i}: ffmpeg {luma}, Vigil {r.Image.Pixels[i]}");
            }
            return;
        }
        var gray = Ffmpeg.Gray8(png);
        var tolerance = pixFmt is "pal8" ? 1.01f : 0f;
        for (var i = 0; i < gray.Length; i++)
            Assert.True(Math.Abs(gray[i] - r.Image.Pixels[i]) <= tolerance, $"{pixFmt} pixel {i}: ffmpeg {gray[i]}, Vigil {r.Image.Pixels[i]}");
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 7)]
    [InlineData(3, 4)]
    [InlineData(17, 9)]
    public void Decode_NarrowPaethImages_MatchFfmpeg(int width, int height)
    {
        // Consecutive Paeth rows are unfiltered in pairs: the narrowest rows are its edge cases.
        var src = SharedData.Require("assets/radiographs/rsna_1381_preprocessed_by_repo.png");
        var png = Path.Combine(_dir, $"paeth-{width}x{height}.png");
        Ffmpeg.Run("-i", src, "-vf", $"scale={width}:{height}", "-pix_fmt", "gray", "-pred", "paeth", png);
        var r = PngDecoder.Decode(File.ReadAllBytes(png), png);
        Assert.Equal(Ffmpeg.Gray8(png).Select(b => (float)b), r.Image.Pixels);
    }

    [Theory]
    [InlineData("rsna_2182.png", 7)]
    [InlineData("rsna_1381_original.png", 3)]
    public void Decode_WithReduction_EqualsFullDecodeThenShrink(string file, int factor)
    {
        var path = SharedData.Require("assets/radiographs/" + file);
        var bytes = File.ReadAllBytes(path);
        var full = PngDecoder.Decode(bytes, file);
        (int W, int H) asked = default;
        var reduced = PngDecoder.Decode(bytes, file, reduction: (w, h) => { asked = (w, h); return factor; });
        Assert.Equal((full.Image.Width, full.Image.Height), asked);
        Assert.Equal(factor, reduced.Reduction);
        var expected = full.Image.ShrinkBy(factor);
        Assert.Equal((expected.Width, expected.Height), (reduced.Image.Width, reduced.Image.Height));
        // Bit-identical, not merely close: scoring must not depend on where the shrink happened.
        Assert.Equal(expected.Pixels, reduced.Image.Pixels);
    }

    [Theory]
    [InlineData("gray16be", "paeth", 4)]
    [InlineData("rgb24", "avg", 5)]
    [InlineData("monob", "none", 2)]
    public void Decode_SyntheticFormatsWithReduction_EqualFullDecodeThenShrink(string pixFmt, string pred, int factor)
    {
        var src = SharedData.Require("assets/radiographs/rsna_1381_preprocessed_by_repo.png");
        var png = Path.Combine(_dir, $"r-{pixFmt}-{pred}.png");
        Ffmpeg.Run("-i", src, "-vf", "scale=203:131", "-pix_fmt", pixFmt, "-pred", pred, png);
        var bytes = File.ReadAllBytes(png);
        var expected = PngDecoder.Decode(bytes, png).Image.ShrinkBy(factor);
        var reduced = PngDecoder.Decode(bytes, png, reduction: (_, _) => factor);
        Assert.Equal((203 / factor, 131 / factor), (reduced.Image.Width, reduced.Image.Height));
        Assert.Equal(expected.Pixels, reduced.Image.Pixels);
    }

    [Fact]
    public void Decode_Huge16BitRadiographWithReduction_NeverHoldsTheFullImage()
    {
        // The worst case: 4000x5000 at 16 bits (40 MB of samples, 80 MB as floats).
        var src = SharedData.Require("assets/radiographs/rsna_2182.png");
        var png = Path.Combine(_dir, "huge16.png");
        Ffmpeg.Run("-i", src, "-vf", "scale=4000:5000", "-pix_fmt", "gray16be", png);
        var bytes = File.ReadAllBytes(png);
        // The factor bone age's preprocessing picks for a 112x112 model at working scale 2.
        DecodeReduction reduce = (w, h) => Math.Min(w / 224, h / 224);
        PngDecoder.Decode(bytes, "warm-up.png", reduction: reduce);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var r = PngDecoder.Decode(bytes, "huge16.png", reduction: reduce);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(17, r.Reduction);
        Assert.Equal((235, 294), (r.Image.Width, r.Image.Height));
        // The reduced image (276 KB) plus bookkeeping; the band of filtered rows is pooled.
        Assert.True(allocated < 4 << 20, $"decoding allocated {allocated / 1048576.0:0.0} MiB");
    }

    [Fact]
    public void Decode_ReductionLeavingNoPixel_FallsBackToFullSize()
    {
        var bytes = File.ReadAllBytes(SharedData.Require("assets/radiographs/rsna_1381_original.png"));
        var r = PngDecoder.Decode(bytes, "1381", reduction: (_, _) => 1000);
        Assert.Equal(1, r.Reduction);
        Assert.Equal((385, 520), (r.Image.Width, r.Image.Height));
    }

    [Fact]
    public void Decode_Truncated_ThrowsImageFormatExceptionNamingTheFile()
    {
        var bytes = File.ReadAllBytes(SharedData.Require("assets/radiographs/rsna_1381_preprocessed_by_repo.png"));
        foreach (var len in new[] { 0, 7, 8, 20, 40, 100, bytes.Length / 2, bytes.Length - 30 })
        {
            var e = Assert.ThrowsAny<Exception>(() => RadiographLoader.Decode(bytes[..len], "/x/cut.png", long.MaxValue));
            Assert.IsType<ImageFormatException>(e);
            Assert.StartsWith("cut.png: ", e.Message);
        }
    }

    [Fact]
    public void Decode_CorruptImageData_ThrowsImageFormatException()
    {
        var bytes = File.ReadAllBytes(SharedData.Require("assets/radiographs/rsna_1381_preprocessed_by_repo.png"));
        var rng = new Random(7);
        for (var trial = 0; trial < 20; trial++)
        {
            var b = (byte[])bytes.Clone();
            for (var k = 0; k < 20; k++) b[200 + rng.Next(b.Length - 300)] ^= 0x5A;
            try { PngDecoder.Decode(b, "bad.png"); }
            catch (ImageFormatException e) { Assert.StartsWith("bad.png: ", e.Message); }
        }
    }

    [Fact]
    public void Decode_OverPixelLimit_RefusedBeforeInflating()
    {
        var bytes = File.ReadAllBytes(SharedData.Require("assets/radiographs/rsna_2182.png"));
        var e = Assert.Throws<ImageFormatException>(() => PngDecoder.Decode(bytes, "big.png", maxPixels: 1_000_000));
        Assert.Contains("over the limit of 1000000", e.Message);
    }

    [Fact]
    public void Load_Jpeg_DecodesThroughOpenCvAtTheFileSize()
    {
        var src = SharedData.Require("assets/radiographs/rsna_1381_preprocessed_by_repo.png");
        var jpg = Path.Combine(_dir, "h.jpg");
        Ffmpeg.Run("-i", src, "-pix_fmt", "yuvj444p", "-q:v", "2", jpg);
        var r = RadiographLoader.Load(jpg);
        Assert.Equal((400, 520), (r.Image.Width, r.Image.Height));
        Assert.Equal("JPEG 8-bit", r.Format);
        var png = PngDecoder.Decode(File.ReadAllBytes(src), "src");
        var meanAbs = r.Image.Pixels.Zip(png.Image.Pixels, (a, b) => Math.Abs(a - b)).Average();
        Assert.True(meanAbs < 3, $"JPEG differs from its source by {meanAbs} grey levels on average");
    }

    [Fact]
    public void Load_UnknownFormat_SaysWhatIsExpected()
    {
        var path = Path.Combine(_dir, "notes.txt");
        File.WriteAllText(path, "not an image at all, but long enough to look at");
        var e = Assert.Throws<ImageFormatException>(() => RadiographLoader.Load(path));
        Assert.Contains("expected DICOM Part 10, PNG or JPEG", e.Message);
    }
}
