using OpenCvSharp;
using Vigil.Imaging.Processing;

namespace Vigil.Imaging.Tests;

public sealed class ImageOpsTests
{
    private static GrayImage Ramp(int w, int h) => new(w, h, Enumerable.Range(0, w * h).Select(i => (float)(i % w + 10 * (i / w))).ToArray());

    [Fact]
    public void Resize_AreaByTwo_AveragesBlocks()
    {
        var r = ImageOps.Resize(Ramp(4, 2), 2, 1);
        // Blocks {0,1,10,11} and {2,3,12,13}.
        Assert.Equal([5.5f, 7.5f], r.Pixels);
    }

    [Fact]
    public void Resize_IntegerFactor_EqualsShrinkBy()
    {
        var img = Ramp(12, 9);
        Assert.Equal(img.ShrinkBy(3).Pixels, ImageOps.Resize(img, 4, 3).Pixels);
    }

    [Fact]
    public void Crop_Region_CopiesThosePixels()
    {
        var c = ImageOps.Crop(Ramp(5, 4), 1, 2, 3, 2);
        Assert.Equal((3, 2), (c.Width, c.Height));
        Assert.Equal([21f, 22, 23, 31, 32, 33], c.Pixels);
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageOps.Crop(Ramp(5, 4), 3, 0, 3, 1));
    }

    [Fact]
    public void WarpAffine_Translation_ShiftsAndFillsTheBorder()
    {
        // x' = x + 1, y' = y + 0: every pixel moves one column right; column 0 is the border.
        var w = ImageOps.WarpAffine(Ramp(4, 3), [1, 0, 1, 0, 1, 0], 4, 3, border: -1, InterpolationFlags.Nearest);
        Assert.Equal([-1f, 0, 1, 2, -1, 10, 11, 12, -1, 20, 21, 22], w.Pixels);
    }

    [Fact]
    public void AffineFromPoints_ThreePairs_RecoversScaleAndShift()
    {
        var m = ImageOps.AffineFromPoints([new(0, 0), new(1, 0), new(0, 1)], [new(5, 7), new(7, 7), new(5, 9)]);
        double[] expected = [2, 0, 5, 0, 2, 7];
        for (var i = 0; i < 6; i++) Assert.Equal(expected[i], m[i], 5);
    }

    [Fact]
    public void ConvertColour_BgrToGrey_UsesBt601Weights()
    {
        using var bgr = new Mat(1, 3, MatType.CV_8UC3);
        bgr.Set(0, 0, new Vec3b(255, 0, 0));
        bgr.Set(0, 1, new Vec3b(0, 255, 0));
        bgr.Set(0, 2, new Vec3b(0, 0, 255));
        using var grey = ImageOps.ConvertColour(bgr, ColorConversionCodes.BGR2GRAY);
        Assert.Equal(MatType.CV_8UC1, grey.Type());
        // 0.114, 0.587 and 0.299 of 255, rounded.
        Assert.Equal([29f, 150, 76], grey.ToGrayImage().Pixels);
        // Vigil's own conversion of the colour Mat keeps float precision.
        var exact = bgr.ToGrayImage().Pixels;
        Assert.Equal(0.114f * 255, exact[0], 3);
        Assert.Equal(0.299f * 255, exact[2], 3);
    }

    [Fact]
    public void ToMat_ToGrayImage_RoundTrips()
    {
        var img = Ramp(7, 5);
        using var mat = img.ToMat();
        Assert.Equal(MatType.CV_32FC1, mat.Type());
        Assert.Equal(img.Pixels, mat.ToGrayImage().Pixels);
    }
}
