using Vigil.Imaging;
using Vigil.BoneAge.Preprocessing;
using Vigil.Tests.Common;

namespace Vigil.BoneAge.Tests.Preprocessing;

/// <summary>Preprocessing on the real RSNA hand radiographs in ../shared/assets/radiographs.</summary>
public sealed class RealRadiographPreprocessingTests
{
    private static Radiograph Load(string file) => RadiographLoader.Load(SharedData.Require("assets/radiographs/" + file));

    private static readonly PreprocessingOptions Options = new() { Width = 256, Height = 256, Equalisation = EqualisationMethod.Clahe };

    [Theory]
    [InlineData("rsna_2182.png")]
    [InlineData("rsna_1440.png")]
    [InlineData("rsna_2608.png")]
    [InlineData("rsna_1437.png")]
    [InlineData("rsna_1638.png")]
    [InlineData("rsna_4498.png")]
    [InlineData("rsna_4360.png")]
    [InlineData("rsna_1541.png")]
    public void Run_HandOnBlackBackground_CropKeepsTheBrightHandAndDropsBackground(string file)
    {
        var r = Load(file);
        var original = (float[])r.Image.Pixels.Clone();
        var result = new Preprocessor(Options).Run(r);
        var crop = result.Crop;
        // Every one of these hands leaves black background at the sides: the crop drops some of it.
        Assert.True(crop.Width < 1560, $"{file}: crop {crop} kept the full width");
        // At least 97% of the bright (hand) pixels of the original lie inside the crop.
        var threshold = original.OrderBy(v => v).ElementAt((int)(original.Length * 0.7));
        long bright = 0, inside = 0;
        for (var y = 0; y < 2080; y++)
            for (var x = 0; x < 1600; x++)
                if (original[y * 1600 + x] > threshold)
                {
                    bright++;
                    if (x >= crop.X && x < crop.X + crop.Width && y >= crop.Y && y < crop.Y + crop.Height) inside++;
                }
        Assert.True(inside >= 0.97 * bright, $"{file}: only {inside}/{bright} bright pixels inside crop {crop}");
        Assert.Equal(256 * 256, result.Input.Length);
        Assert.All(result.Input, v => Assert.InRange(v, 0f, 1f));
    }

    [Theory]
    [InlineData("rsna_4360.png")]
    [InlineData("rsna_1381_original.png")]
    public void Run_ImageReducedWhileDecoding_EqualsFullSizeRun(string file)
    {
        var preprocessor = new Preprocessor(Options);
        var full = preprocessor.Run(Load(file));
        var reduced = RadiographLoader.Load(SharedData.Require("assets/radiographs/" + file), reduction: preprocessor.ReductionFor);
        Assert.Equal(preprocessor.ReductionFor(reduced.SourceWidth, reduced.SourceHeight), reduced.Reduction);
        var fromReduced = preprocessor.Run(reduced);
        Assert.Equal(full.Input, fromReduced.Input);
        Assert.Equal(full.Crop, fromReduced.Crop);
        Assert.Equal(full.IntensityRange, fromReduced.IntensityRange);
    }

    [Fact]
    public void Run_SameImageTwice_IsBitIdentical()
    {
        var a = new Preprocessor(Options).Run(Load("rsna_1541.png"));
        var b = new Preprocessor(Options).Run(Load("rsna_1541.png"));
        Assert.Equal(a.Input, b.Input);
        Assert.Equal(a.Crop, b.Crop);
    }

    [Fact]
    public void Run_RawAndRepoPreprocessed1381_BothCroppedToComparableHandRegions()
    {
        // The raw image has a grey collimated field and a bright border; the repo's version is
        // already cropped. Both must end with the hand filling most of the model input.
        var raw = new Preprocessor(Options).Run(Load("rsna_1381_original.png"));
        var repo = new Preprocessor(Options).Run(Load("rsna_1381_preprocessed_by_repo.png"));
        Assert.True(raw.Crop.Width < 385 && raw.Crop.Height < 520, $"raw crop {raw.Crop} did not remove the surround");
        Assert.InRange(raw.Content.Width * raw.Content.Height, 0.5 * 256 * 256, 256 * 256);
        Assert.InRange(repo.Content.Width * repo.Content.Height, 0.5 * 256 * 256, 256 * 256);
    }
}
