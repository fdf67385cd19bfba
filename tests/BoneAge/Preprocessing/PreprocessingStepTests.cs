using Vigil.Imaging;
using Vigil.BoneAge.Preprocessing;
using Vigil.Models.Cards;

namespace Vigil.BoneAge.Tests.Preprocessing;

public sealed class PreprocessingStepTests
{
    private static GrayImage Image(int w, int h, Func<int, int, float> f)
    {
        var px = new float[w * h];
        for (var y = 0; y < h; y++) for (var x = 0; x < w; x++) px[y * w + x] = f(x, y);
        return new GrayImage(w, h, px);
    }

    [Fact]
    public void Invert_Monochrome1_MirrorsWithinTheImageRange()
    {
        var img = Image(3, 1, (x, _) => new[] { 100f, 150f, 400f }[x]);
        IntensitySteps.Invert(img);
        Assert.Equal([400f, 350f, 100f], img.Pixels);
    }

    [Fact]
    public void ApplyWindow_LinearVoi_MapsEndsToZeroAndOneAndClamps()
    {
        // Centre 1000.5, width 201: low end 900, high end 1100, 1000 in the middle (PS3.3 C.11.2.1.2.1).
        var img = Image(5, 1, (x, _) => new[] { 0f, 900f, 1000f, 1100f, 5000f }[x]);
        IntensitySteps.ApplyWindow(img, new VoiWindow(1000.5, 201));
        Assert.Equal([0f, 0f, 0.5f, 1f, 1f], img.Pixels);
    }

    [Fact]
    public void Percentiles_IntegerData_EqualSortedNearestRank()
    {
        var rng = new Random(3);
        var img = Image(97, 53, (_, _) => rng.Next(0, 4096));
        var sorted = img.Pixels.OrderBy(v => v).ToArray();
        foreach (var (lo, hi) in new[] { (1.0, 99.0), (0.5, 99.5), (10.0, 90.0), (0.0, 100.0) })
        {
            var (a, b) = IntensitySteps.Percentiles(img, lo, hi);
            int Rank(double p) => Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length), 1, sorted.Length) - 1;
            Assert.Equal(sorted[Rank(lo)], a);
            Assert.Equal(sorted[Rank(hi)], b);
        }
    }

    [Fact]
    public void NormalisePercentiles_FewHotPixels_DoNotSetTheContrast()
    {
        // 1000 pixels 0..999 plus 5 burned-in label pixels at 60000.
        var values = Enumerable.Range(0, 1000).Select(i => (float)i).Concat(Enumerable.Repeat(60000f, 5)).ToArray();
        var img = new GrayImage(values.Length, 1, values);
        var (lo, hi) = IntensitySteps.NormalisePercentiles(img, 1, 99);
        Assert.Equal(10f, lo);
        // 1005 values: nearest ranks ceil(10.05) = 11 and ceil(994.95) = 995.
        Assert.Equal(994f, hi);
        Assert.Equal(0f, img.Pixels[0]);
        Assert.Equal(1f, img.Pixels[^1]);
        Assert.Equal((500f - 10f) / 984f, img.Pixels[500], 6);
    }

    [Fact]
    public void NormalisePercentiles_FlatImage_BecomesZero()
    {
        var img = Image(4, 4, (_, _) => 7f);
        IntensitySteps.NormalisePercentiles(img, 1, 99);
        Assert.All(img.Pixels, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void HandCropFind_RectangleWithSpecks_BoundsRectanglePlusMargin()
    {
        // Hand: columns 20..59, rows 10..89 bright; isolated specks elsewhere must not count.
        var img = Image(100, 120, (x, y) => x is >= 20 and < 60 && y is >= 10 and < 90 ? 0.8f : 0.05f);
        img.Pixels[5 * 100 + 95] = 1f;
        img.Pixels[110 * 100 + 2] = 1f;
        var box = HandCrop.Find(img, threshold: null, margin: 0.1, minFraction: 0.02);
        Assert.Equal(new CropBox(16, 2, 48, 96), box);
        var cropped = HandCrop.Extract(img, box);
        Assert.Equal((48, 96), (cropped.Width, cropped.Height));
        Assert.Equal(img[16, 2], cropped[0, 0]);
    }

    [Fact]
    public void HandCropFind_NoForeground_ReturnsWholeImage()
    {
        var img = Image(10, 10, (_, _) => 0f);
        Assert.Equal(new CropBox(0, 0, 10, 10), HandCrop.Find(img, 0.5f, 0.05, 0.02));
    }

    [Fact]
    public void OtsuThreshold_TwoLevels_SplitsBetweenThem()
    {
        var img = Image(10, 10, (x, _) => x < 5 ? 0.2f : 0.7f);
        var t = HandCrop.OtsuThreshold(img);
        Assert.InRange(t, 0.2f, 0.7f);
    }

    [Fact]
    public void Resize_IntegerFactor_AveragesBlocksExactly()
    {
        var img = Image(4, 2, (x, y) => x + 10 * y);
        var r = Resampler.Resize(img, 2, 1);
        Assert.Equal([(0 + 1 + 10 + 11) / 4f, (2 + 3 + 12 + 13) / 4f], r.Pixels);
    }

    [Fact]
    public void Resize_NonIntegerFactor_PreservesTheMean()
    {
        var rng = new Random(5);
        var img = Image(1000, 700, (_, _) => (float)rng.NextDouble());
        var r = Resampler.Resize(img, 224, 224);
        Assert.Equal(img.Pixels.Average(), r.Pixels.Average(), 3);
    }

    [Fact]
    public void Letterbox_TallImage_KeepsAspectAndPadsLeftAndRight()
    {
        var img = Image(50, 100, (_, _) => 1f);
        var (boxed, content) = Resampler.Letterbox(img, 20, 20, pad: 0f);
        Assert.Equal(new CropBox(5, 0, 10, 20), content);
        Assert.Equal(0f, boxed[4, 10]);
        Assert.Equal(1f, boxed[5, 10], 5);
        Assert.Equal(1f, boxed[14, 10], 5);
        Assert.Equal(0f, boxed[15, 10]);
    }

    [Fact]
    public void HistogramEqualisation_SkewedRamp_SpreadsToFullRangeMonotonically()
    {
        var img = Image(256, 1, (x, _) => x / 1024f);
        Equalisation.Histogram(img);
        Assert.Equal(0f, img.Pixels[0]);
        Assert.Equal(1f, img.Pixels[^1]);
        for (var i = 1; i < img.Pixels.Length; i++) Assert.True(img.Pixels[i] >= img.Pixels[i - 1]);
    }

    [Fact]
    public void Clahe_LowContrastImage_IncreasesContrastAndStaysInRange()
    {
        var img = Image(64, 64, (x, y) => 0.4f + 0.1f * ((x + y) % 16) / 16f);
        var before = img.Pixels.Max() - img.Pixels.Min();
        Equalisation.Clahe(img, tiles: 4, clipLimit: 4);
        Assert.All(img.Pixels, v => Assert.InRange(v, 0f, 1f));
        Assert.True(img.Pixels.Max() - img.Pixels.Min() > 2 * before);
        // Order within a tile is kept: a brighter input pixel stays at least as bright.
        Assert.True(img[15, 0] >= img[14, 0]);
    }

    [Fact]
    public void FromCard_Recipe_ParsesStepsAndParameters()
    {
        var card = new CardPreprocessing
        {
            Width = 112, Height = 96, ChannelOrder = "RGB", Scale = 1 / 255.0, Mean = [0, 0, 0], Std = [1, 1, 1],
            Resize = "invert-monochrome1; voi-window; percentiles(low=2,high=98); crop-hand(threshold=0.3,margin=0.1); clahe(tiles=4,clip=3); letterbox(pad=0.5)",
        };
        var o = PreprocessingOptions.FromCard(card);
        Assert.True(o.InvertMonochrome1 && o.ApplyVoiWindow && o.CropHand && o.Letterbox);
        Assert.Equal((2.0, 98.0), (o.LowPercentile, o.HighPercentile));
        Assert.Equal((0.3f, 0.1), (o.CropThreshold, o.CropMargin));
        Assert.Equal((EqualisationMethod.Clahe, 4, 3.0), (o.Equalisation, o.ClaheTiles, o.ClaheClipLimit));
        Assert.Equal(0.5f, o.PadValue);
        Assert.Equal((112, 96, 3), (o.Width, o.Height, o.Channels));
    }

    [Fact]
    public void FromCard_TypedSteps_TakePrecedenceAndMustAgreeWithResize()
    {
        var card = new CardPreprocessing
        {
            Width = 64, Height = 64, ChannelOrder = "GRAY", Mean = [0], Std = [1],
            Resize = "letterbox", Steps = ["percentiles(low=3,high=97)", "crop-hand", "equalise", "letterbox(pad=0.25)"],
        };
        var o = PreprocessingOptions.FromCard(card);
        Assert.Equal((3.0, 97.0), (o.LowPercentile, o.HighPercentile));
        Assert.True(o.CropHand && o.Letterbox);
        Assert.Equal(EqualisationMethod.Histogram, o.Equalisation);
        Assert.Equal(0.25f, o.PadValue);
        Assert.False(o.InvertMonochrome1);
        var contradiction = Assert.Throws<FormatException>(() => PreprocessingOptions.FromCard(new CardPreprocessing
        {
            Width = 8, Height = 8, Resize = "stretch", Steps = ["letterbox"],
        }));
        Assert.Contains("preprocessing.resize says 'stretch'", contradiction.Message);
    }

    [Theory]
    [InlineData("sharpen", "unknown preprocessing step 'sharpen'")]
    [InlineData("percentiles(low=5,hi=9)", "unknown parameter(s): hi")]
    [InlineData("percentiles(low=x)", "is not a number")]
    [InlineData("percentiles(low=60,high=40)", "0 <= low < high <= 100")]
    public void FromCard_BadRecipe_ClearError(string recipe, string expected)
    {
        var e = Assert.Throws<FormatException>(() => PreprocessingOptions.FromCard(new CardPreprocessing { Width = 8, Height = 8, Resize = recipe }));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void ToModelInput_RgbNchwAndNhwc_ReplicatesGreyWithMeanAndStd()
    {
        var img = Image(2, 1, (x, _) => x == 0 ? 0f : 1f);
        var nchw = new Preprocessor(new PreprocessingOptions { Width = 2, Height = 1, ChannelOrder = "RGB", Scale = 1 / 255.0, Mean = [0.5, 0, 0], Std = [0.5, 1, 2] });
        Assert.Equal([-1f, 1f, 0f, 1f, 0f, 0.5f], nchw.ToModelInput(img));
        var nhwc = new Preprocessor(nchw.Options with { Layout = "NHWC" });
        Assert.Equal([-1f, 0f, 0f, 1f, 1f, 0.5f], nhwc.ToModelInput(img));
    }

    [Fact]
    public void ShrinkBy_Factor3_AveragesBlocksAndDropsThePartialEdge()
    {
        var img = Image(7, 4, (x, y) => x + 100 * y);
        var r = img.ShrinkBy(3);
        Assert.Equal((2, 1), (r.Width, r.Height));
        // Block x 0..2, y 0..2: mean x = 1, mean y = 1.
        Assert.Equal([101f, 104f], r.Pixels);
    }

    [Fact]
    public void ReductionFor_LargeRadiograph_KeepsTwiceTheModelResolution()
    {
        var p = new Preprocessor(new PreprocessingOptions { Width = 112, Height = 112 });
        Assert.Equal(7, p.ReductionFor(1600, 2080));
        Assert.Equal(1, p.ReductionFor(300, 300));
        var off = new Preprocessor(p.Options with { WorkingScale = 0 });
        Assert.Equal(1, off.ReductionFor(1600, 2080));
    }
}
