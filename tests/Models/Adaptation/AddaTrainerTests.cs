using TorchSharp;
using Vigil.Models.Training.Adaptation;
using static TorchSharp.torch;

namespace Vigil.Models.Tests.Adaptation;

/// <summary>
/// ADDA on an engineered domain shift: two Gaussian classes in 10 dimensions; the target domain is
/// the same classes moved by a constant offset, so the source classifier mislabels much of it.
/// Adapting the target encoder without target labels must win back accuracy, and the losses must
/// move as the method says: the discriminator first separates the domains, then the target encoder
/// makes them harder to tell apart.
/// </summary>
public sealed class AddaTrainerTests
{
    private const int Dim = 10;

    private static (Tensor X, Tensor Y) Blobs(int n, int seed, float shift)
    {
        var random = new Random(seed);
        var x = new float[n * Dim];
        var y = new long[n];
        for (var i = 0; i < n; i++)
        {
            y[i] = i % 2;
            for (var d = 0; d < Dim; d++)
            {
                var gaussian = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
                // Classes differ along dimension 0; the shift moves every dimension (a covariate shift).
                var centre = d == 0 ? (y[i] == 0 ? -2f : 2f) : 0f;
                x[i * Dim + d] = centre + 0.7f * gaussian + shift;
            }
        }
        return (tensor(x, [n, Dim]), tensor(y));
    }

    private static nn.Module<Tensor, Tensor> Encoder() => nn.Sequential(("fc1", nn.Linear(Dim, 16)), ("relu", nn.ReLU()), ("fc2", nn.Linear(16, 8)));

    private static AddaOptions Options(int seed) => new()
    {
        Seed = seed, BatchSize = 64, SourceSteps = 200, SourceLearningRate = 1e-2,
        AdversarialSteps = 400, TargetLearningRate = 3e-4, DiscriminatorLearningRate = 2e-3, DiscriminatorHidden = 32, ReportEvery = 10,
    };

    [Fact]
    public void Adapt_ShiftedDomain_ImprovesTargetAccuracyAndLossesMoveAsExpected()
    {
        torch.set_num_threads(1);
        var (sx, sy) = Blobs(400, 1, 0f);
        var (tx, ty) = Blobs(400, 2, 1.6f);
        using var adda = new AddaTrainer(Encoder, () => nn.Linear(8, 2), 8, Options(3));

        adda.TrainSource(sx, sy);
        var source = adda.History.Where(h => h.Stage == AddaStage.Source).ToList();
        Assert.True(source[^1].SourceLoss < source[0].SourceLoss * 0.5, $"source loss {source[0].SourceLoss:F3} -> {source[^1].SourceLoss:F3}");
        Assert.True(adda.Accuracy(sx, sy, throughTarget: false) > 0.95);
        var before = adda.Accuracy(tx, ty, throughTarget: false);

        adda.Adapt(sx, tx);
        var after = adda.Accuracy(tx, ty, throughTarget: true);
        var adversarial = adda.History.Where(h => h.Stage == AddaStage.Adversarial).ToList();
        Assert.Equal(40, adversarial.Count);
        var trace = $"source-only {before:F3}, ADDA {after:F3}\n" + string.Join("\n", adversarial);
        // At first the shifted domains are easy to tell apart: the discriminator wins and the
        // target encoder's inverted-label loss climbs above ln 2.
        var early = adversarial.Take(adversarial.Count / 2).ToList();
        var peak = early.Max(h => h.DiscriminatorAccuracy);
        Assert.True(peak > 0.75, $"the discriminator never separated the domains:\n{trace}");
        Assert.True(early.Max(h => h.TargetLoss) > Math.Log(2), $"target loss never above ln 2:\n{trace}");
        // Then the target encoder closes the gap: the discriminator drops back towards chance.
        var late = adversarial.TakeLast(5).ToList();
        Assert.True(late.Average(h => h.DiscriminatorAccuracy) < peak - 0.1, $"the discriminator still wins at the end:\n{trace}");
        Assert.True(after >= before + 0.1, $"target accuracy source-only {before:F3}, ADDA {after:F3}:\n{trace}");
        // Stage 2 leaves the source encoder and the classifier alone.
        Assert.True(adda.Accuracy(sx, sy, throughTarget: false) > 0.95);
    }

    [Fact]
    public void Adapt_SameSeed_RepeatsExactly()
    {
        torch.set_num_threads(1);
        var (sx, sy) = Blobs(128, 1, 0f);
        var (tx, ty) = Blobs(128, 2, 1.6f);
        double Run()
        {
            var o = Options(5);
            using var adda = new AddaTrainer(Encoder, () => nn.Linear(8, 2), 8, new AddaOptions { Seed = o.Seed, BatchSize = 32, SourceSteps = 30, AdversarialSteps = 30, DiscriminatorHidden = 16, ReportEvery = 10 });
            adda.TrainSource(sx, sy);
            adda.Adapt(sx, tx);
            using var p = adda.Predict(tx, throughTarget: true);
            return p.sum().item<float>();
        }
        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void Predict_BeforeAdapt_SaysThereIsNoTargetEncoder()
    {
        using var adda = new AddaTrainer(Encoder, () => nn.Linear(8, 2), 8, new AddaOptions { SourceSteps = 1, AdversarialSteps = 1 });
        using var x = zeros(2, Dim);
        var e = Assert.Throws<InvalidOperationException>(() => adda.Predict(x, throughTarget: true));
        Assert.Contains("before Adapt", e.Message);
    }

    [Fact]
    public void TrainSource_LabelCountMismatch_IsRejected()
    {
        using var adda = new AddaTrainer(Encoder, () => nn.Linear(8, 2), 8, new AddaOptions { SourceSteps = 1 });
        using var x = zeros(4, Dim);
        using var y = zeros(3, dtype: ScalarType.Int64);
        var e = Assert.Throws<ArgumentException>(() => adda.TrainSource(x, y));
        Assert.Contains("4 inputs but 3 labels", e.Message);
    }

    [Fact]
    public void Options_BadBeta_IsRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new AddaOptions { Beta1 = 1 }.Validate());
}
