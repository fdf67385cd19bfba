namespace Vigil.Models.Training.Adaptation;

/// <summary>Accuracy on the USPS test set for one seed.</summary>
/// <param name="Seed">The seed (weights, batches and the sampled source/target subsets).</param>
/// <param name="SourceOnlyAccuracy">Source encoder + classifier on USPS test.</param>
/// <param name="AddaAccuracy">Target encoder + the same classifier on USPS test.</param>
/// <param name="FinalDiscriminatorAccuracy">The discriminator's accuracy over the last report window (0.5 = cannot tell the domains apart).</param>
/// <param name="Seconds">Wall time of the seed.</param>
public sealed record DigitsSeedResult(int Seed, double SourceOnlyAccuracy, double AddaAccuracy, double FinalDiscriminatorAccuracy, double Seconds);

/// <summary>
/// The ADDA paper's MNIST → USPS protocol: per seed, 2,000 MNIST images (labelled source) and 1,800
/// USPS training images (unlabelled target) drawn at random, LeNet, stage 1 then stage 2, accuracy on
/// the 2,007 USPS test images through the source encoder (source only) and the target encoder (ADDA).
/// </summary>
public static class DigitsBenchmark
{
    /// <summary>Source images per seed (the paper's 2,000).</summary>
    public const int SourceImages = 2000;
    /// <summary>Target images per seed (the paper's 1,800).</summary>
    public const int TargetImages = 1800;

    /// <summary>Runs one seed with <paramref name="options"/> (its <see cref="AddaOptions.Seed"/> is replaced by <paramref name="seed"/>).</summary>
    public static DigitsSeedResult RunSeed(DigitsData data, int seed, AddaOptions options, IProgress<AddaProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var o = new AddaOptions
        {
            Seed = seed, BatchSize = options.BatchSize, SourceSteps = options.SourceSteps, SourceLearningRate = options.SourceLearningRate,
            AdversarialSteps = options.AdversarialSteps, TargetLearningRate = options.TargetLearningRate,
            DiscriminatorLearningRate = options.DiscriminatorLearningRate, Beta1 = options.Beta1,
            DiscriminatorHidden = options.DiscriminatorHidden, ReportEvery = options.ReportEvery,
        };
        var (sx, sy) = data.Mnist(DigitsData.Sample(data.MnistCount, SourceImages, seed));
        var (tx, ty) = data.UspsTrain(DigitsData.Sample(data.UspsTrainCount, TargetImages, seed + 7919));
        var (ex, ey) = data.UspsTest();
        using (sx) using (sy) using (tx) using (ty) using (ex) using (ey)
        using (var adda = new AddaTrainer(LeNet.Encoder, () => LeNet.Classifier(10), LeNet.FeatureSize, o))
        {
            adda.TrainSource(sx, sy, progress, cancellation);
            var sourceOnly = adda.Accuracy(ex, ey, throughTarget: false);
            adda.Adapt(sx, tx, progress, cancellation);
            var adapted = adda.Accuracy(ex, ey, throughTarget: true);
            var last = adda.History.LastOrDefault(h => h.Stage == AddaStage.Adversarial);
            return new DigitsSeedResult(seed, sourceOnly, adapted, last?.DiscriminatorAccuracy ?? double.NaN, clock.Elapsed.TotalSeconds);
        }
    }
}
