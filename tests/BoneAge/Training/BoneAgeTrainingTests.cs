using OpenCvSharp;
using Vigil.BoneAge.Training;
using Vigil.Models.Cards;
using Vigil.Tests.Common;

namespace Vigil.BoneAge.Tests.Training;

// Trains a tiny model (24 radiographs at 64 px, 2 folds, a few epochs) to prove the loop, the card
// and the estimator; the real model is trained by `vigil boneage train`, never by the tests.
public sealed class BoneAgeTrainingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-boneage-train-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Data => SharedData.Require("data/boneage/rsna-999");

    private BoneAgeTrainingReport Train(string outDir, int seed = 3, int[]? sizes = null) => new BoneAgeTrainer(new BoneAgeTrainingOptions
    {
        DataDirectory = Data, OutputDirectory = outDir, CacheDirectory = Path.Combine(_dir, "cache"),
        Folds = 2, Seed = seed, Epochs = 8, Sizes = sizes ?? [64], AugmentedCopies = 0, BatchSize = 8, LearningRate = 3e-3, Limit = 24,
        Command = "test",
    }).Run();

    [Fact]
    public void Train_TwoScales_OneHeadPerFoldAndScale_EstimatorReadsBoth()
    {
        var report = Train(Path.Combine(_dir, "ms"), sizes: [64, 96]);
        var card = ModelCardReader.Read(report.Card);
        Assert.Equal(4, card.Postprocessing!.Parameters["members"]);
        Assert.Equal(2, card.Postprocessing.Parameters["scales"]);
        Assert.Equal(96, card.Postprocessing.Parameters["size_2_px"]);
        Assert.True(card.Training!.Metrics.ContainsKey("cv_mad_64px_alone"));
        Assert.True(card.Training.Metrics.ContainsKey("cv_mad_96px_alone"));
        Assert.All(report.Folds, f => Assert.Equal(["64", "96"], f.MadBySize.Keys.Order().ToArray()));
        // The combined estimate is the mean over scales and mirror: it differs from each scale alone (both contribute).
        Assert.All(report.Folds, f => Assert.DoesNotContain(f.Mad, f.MadBySize.Values));
        using var estimator = BoneAgeEstimator.Open(report.Card);
        Assert.Equal([64, 96], estimator.Sizes);
        var item = BoneAgeDataset.Load(Data).Items[30];
        var p = estimator.Estimate(item.Image, item.Male, item.Months);
        Assert.Null(p.Withheld);
        Assert.True(p.Low < p.Months && p.Months < p.High);
    }

    [Fact]
    public void Prepool_IsWhatTheHeadDoesFirst_AndCommutesWithMirror()
    {
        TorchSharp.torch.random.manual_seed(7);
        using var x = TorchSharp.torch.randn(3, ResNet18Backbone.Channels, 12, 12);
        using var pooled = BoneAgeHead.Prepool(x.to(TorchSharp.torch.ScalarType.Float16));
        Assert.Equal([3L, ResNet18Backbone.Channels, 6, 6], pooled.shape);
        using var head = new BoneAgeHead();
        head.eval();
        using var male = TorchSharp.torch.tensor(new[] { 1f, 0f, 1f });
        using var half = x.to(TorchSharp.torch.ScalarType.Float16).to(TorchSharp.torch.ScalarType.Float32);
        using var a = head.forward(half, male);
        using var b = head.forward(pooled, male);
        Assert.True(a.allclose(b, rtol: 1e-4, atol: 1e-3));
        using var flipped = BoneAgeHead.Prepool(x.flip(3).to(TorchSharp.torch.ScalarType.Float16));
        Assert.True(flipped.allclose(pooled.flip(3), rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void Train_TinySubset_WritesCardWithOutOfFoldFiguresAndPlot()
    {
        var report = Train(Path.Combine(_dir, "a"));
        Assert.Equal(24, report.Images);
        Assert.Equal(2, report.Folds.Count);
        Assert.Equal(24, report.Predictions.Count);
        Assert.All(report.Predictions, p => Assert.True(double.IsFinite(p.Months) && p.Low < p.Months && p.Months < p.High));
        Assert.Equal(report.CrossValidation.Mad, report.Predictions.Average(p => Math.Abs(p.Months - p.Reported)), 6);
        Assert.True(File.Exists(report.CalibrationPlot));
        using (var plot = Cv2.ImRead(report.CalibrationPlot)) Assert.Equal(640, plot.Cols);

        var card = ModelCardReader.Read(report.Card);
        Assert.Equal("torchsharp", card.Runtime);
        Assert.True(card.NotForClinicalUse);
        Assert.Equal(3, card.Training!.Seed);
        Assert.Equal(Math.Round(report.CrossValidation.Mad, 3), card.Training.Metrics["cv_mad_months"]);
        Assert.Equal(64, card.Training.DatasetSha256.Length);
        // Each fold's held-out MAD after its last epoch is the fold's figure.
        Assert.All(report.Folds, f => Assert.Equal(f.Mad, f.MadByEpoch[^1], 6));
    }

    [Fact]
    public void Train_SameSeed_SameModelFile()
    {
        var a = Train(Path.Combine(_dir, "a"), seed: 5);
        var b = Train(Path.Combine(_dir, "b"), seed: 5);
        Assert.Equal(ModelCardReader.Read(a.Card).Sha256, ModelCardReader.Read(b.Card).Sha256);
        Assert.Equal(a.CrossValidation.Mad, b.CrossValidation.Mad);
    }

    [Fact]
    public void Estimator_TrainedCard_EstimatesAndWithholdsInvertedImage()
    {
        var report = Train(Path.Combine(_dir, "a"));
        using var estimator = BoneAgeEstimator.Open(report.Card);
        var item = BoneAgeDataset.Load(Data).Items[30];
        var p = estimator.Estimate(item.Image, item.Male, item.Months);
        Assert.Null(p.Withheld);
        Assert.InRange(p.Months, -60, 400);
        Assert.True(p.Low < p.Months && p.Months < p.High);

        var inverted = estimator.Estimate(item.Image, item.Male, item.Months, new RadiographAugmentation(Invert: true));
        Assert.NotNull(inverted.Withheld);
        Assert.Contains("inverted", inverted.Withheld);

        var missing = estimator.Estimate(Path.Combine(_dir, "nope.jpg"), true);
        Assert.Contains("nope.jpg", missing.Withheld);
    }

    [Fact]
    public void Estimator_TamperedWeights_RefusedBySha256()
    {
        var report = Train(Path.Combine(_dir, "a"));
        var card = ModelCardReader.Read(report.Card);
        File.AppendAllText(card.ModelPath, "x");
        var e = Assert.Throws<ModelCardException>(() => BoneAgeEstimator.Open(report.Card));
        Assert.Contains("sha256", e.Message);
    }

    [Fact]
    public void Dataset_Folds_AreBalancedAndDeterministic()
    {
        var items = BoneAgeDataset.Load(Data).Items;
        var a = BoneAgeDataset.Folds(items, 5, 1);
        Assert.Equal(a, BoneAgeDataset.Folds(items, 5, 1));
        Assert.NotEqual(a, BoneAgeDataset.Folds(items, 5, 2));
        var sizes = a.GroupBy(f => f).Select(g => g.Count()).ToList();
        Assert.Equal(5, sizes.Count);
        Assert.True(sizes.Max() - sizes.Min() <= 1);
        // Stratified by age: every fold's mean age is within 6 months of the whole set's.
        var mean = items.Average(i => i.Months);
        for (var f = 0; f < 5; f++) Assert.InRange(items.Where((_, i) => a[i] == f).Average(i => i.Months), mean - 6, mean + 6);
    }

    [Fact]
    public void Dataset_WrongHeader_OneClearLine()
    {
        File.WriteAllText(Path.Combine(_dir, "labels.csv"), "id,boneage,male\n1,100,True\n");
        var e = Assert.Throws<InvalidDataException>(() => BoneAgeDataset.Load(_dir));
        Assert.Contains("labels.csv", e.Message);
        Assert.Contains("image,sex,boneage_months", e.Message);
    }
}
