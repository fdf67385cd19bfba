using Vigil.Models.Cards;
using Vigil.Video.Segments;
using Vigil.Video.Training;

namespace Vigil.Video.Tests;

public sealed class AdapterTrainingTests
{
    // Engineered features: 8 values per frame; "a" lights value 1, "b" lights value 5 (plus noise), so
    // a working adapter must learn which value carries which label, per frame, from windows.
    private static (float[][] Features, IReadOnlyList<ActionSegment> Truth) Clip(int seed)
    {
        var random = new Random(seed);
        const int frames = 64;
        var aStart = random.Next(4, 20);
        var bStart = random.Next(24, 44);
        ActionSegment[] truth = [new("a", aStart / 8.0, (aStart + 12) / 8.0), new("b", bStart / 8.0, (bStart + 14) / 8.0)];
        var features = Enumerable.Range(0, frames).Select(i =>
        {
            var f = Enumerable.Range(0, 8).Select(_ => (float)(random.NextDouble() * 0.3)).ToArray();
            var t = (i + 0.5) / 8;
            if (truth[0].Contains(t)) f[1] += 1;
            if (truth[1].Contains(t)) f[5] += 1;
            return f;
        }).ToArray();
        return (features, truth);
    }

    private static AdapterTrainingOptions Options(AdapterKind kind) => new()
    {
        Kind = kind, WindowFrames = 8, Stride = 2, Hidden = 16, Epochs = 12, Seed = 3, LearningRate = 5e-3, Labels = ["a", "b"],
        MirrorGridColumns = 0, WeightDecay = 0,
    };

    private static AdapterTrainingOptions WithEpochs(AdapterTrainingOptions o, int epochs) => new()
    {
        Kind = o.Kind, WindowFrames = o.WindowFrames, Stride = o.Stride, Hidden = o.Hidden, Epochs = epochs, Seed = o.Seed,
        LearningRate = o.LearningRate, Labels = o.Labels, MirrorGridColumns = 0, WeightDecay = 0,
    };

    [Theory]
    [InlineData(AdapterKind.Transformer)]
    [InlineData(AdapterKind.Tcn)]
    [InlineData(AdapterKind.Lstm)]
    public void Train_EngineeredFeatures_HeldOutClipsSegmentedCorrectly(AdapterKind kind)
    {
        var train = Enumerable.Range(0, 12).Select(Clip).ToList();
        var held = Enumerable.Range(100, 4).Select(Clip).ToList();
        var (adapter, epochs) = AdapterTrainer.Train(train, Options(kind), "engineered", new string('0', 64));
        using (adapter)
        {
            Assert.True(epochs[^1].TrainLoss < epochs[0].TrainLoss, $"loss {epochs[0].TrainLoss} -> {epochs[^1].TrainLoss}");
            var evaluation = ClipEvaluation.Evaluate(adapter, held, 8, new HysteresisSegmenter(), 2);
            Assert.True(evaluation.FrameAccuracy >= 0.9, $"{kind}: frame accuracy {evaluation.FrameAccuracy}");
            Assert.True(evaluation.SegmentF1 >= 0.8, $"{kind}: segment F1 {evaluation.SegmentF1}");
        }
    }

    [Fact]
    public void SaveAndLoad_Card_GivesTheSameScoresAndRecordsProvenance()
    {
        var dir = Path.Combine(Path.GetTempPath(), "vigil-video-card-" + Guid.NewGuid().ToString("N"));
        try
        {
            var train = Enumerable.Range(0, 6).Select(Clip).ToList();
            var (adapter, _) = AdapterTrainer.Train(train, WithEpochs(Options(AdapterKind.Tcn), 2), "engineered", new string('a', 64));
            using (adapter)
            {
                var card = AdapterCards.Save(adapter, Path.Combine(dir, "tiny.card.json"), new CardTraining { Dataset = "engineered", Seed = 3, Epochs = 2 }, "engineered clips");
                Assert.True(card.NotForClinicalUse);
                using var loaded = TorchActionAdapter.Load(card.CardPath);
                var window = Clip(50).Features.Take(8).ToList();
                var before = adapter.Score(window);
                var after = loaded.Score(window);
                for (var i = 0; i < before.Length; i++) Assert.Equal(before[i], after[i]);
                Assert.Equal(new string('a', 64), loaded.Config.BackboneSha256);
            }
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }

    [Fact]
    public void Load_ConfigEdited_IsRefusedNamingTheSha256()
    {
        var dir = Path.Combine(Path.GetTempPath(), "vigil-video-card-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (adapter, _) = AdapterTrainer.Train(Enumerable.Range(0, 4).Select(Clip).ToList(), WithEpochs(Options(AdapterKind.Lstm), 1), "engineered", "");
            using (adapter)
            {
                var card = AdapterCards.Save(adapter, Path.Combine(dir, "tiny.card.json"), new CardTraining { Dataset = "engineered" }, "engineered clips");
                File.AppendAllText(Path.Combine(dir, "tiny.adapter.json"), " ");
                var e = Assert.Throws<ModelCardException>(() => TorchActionAdapter.Load(card.CardPath));
                Assert.Contains("sha256", e.Message);
            }
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }
}
