using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace Vigil.Models.Training.Adaptation;

/// <summary>
/// Adversarial discriminative domain adaptation (ADDA; Tzeng, Hoffman, Saenko and Darrell, CVPR 2017)
/// for any encoder/classifier pair. Stage 1 (<see cref="TrainSource"/>) trains a source encoder and
/// a classifier on labelled source data. Stage 2 (<see cref="Adapt"/>) initialises a target encoder
/// from the source encoder and trains it, with inverted labels, so that a domain discriminator cannot
/// tell its features of unlabelled target data from the (frozen) source encoder's features of source
/// data; the classifier is kept as it is. Target predictions are then classifier(target encoder(x)).
/// </summary>
public sealed class AddaTrainer : IDisposable
{
    private readonly AddaOptions _options;
    private readonly Func<nn.Module<Tensor, Tensor>> _newEncoder;
    private readonly Func<Tensor, Tensor, Tensor> _sourceLoss;
    private readonly Random _random;
    private readonly List<AddaProgress> _history = [];

    /// <summary>Seeds libtorch with <see cref="AddaOptions.Seed"/> and builds the source encoder, classifier and discriminator.</summary>
    /// <param name="newEncoder">Builds an encoder (input → features of <paramref name="featureSize"/>); called twice, for the source and the target encoder.</param>
    /// <param name="newClassifier">Builds the classifier (features → outputs).</param>
    /// <param name="featureSize">Width of the encoder's output, the discriminator's input.</param>
    /// <param name="options">Run settings.</param>
    /// <param name="sourceLoss">Loss of stage 1 given (classifier outputs, labels); default cross-entropy over class indices (int64 labels).</param>
    public AddaTrainer(Func<nn.Module<Tensor, Tensor>> newEncoder, Func<nn.Module<Tensor, Tensor>> newClassifier, int featureSize,
        AddaOptions options, Func<Tensor, Tensor, Tensor>? sourceLoss = null)
    {
        ArgumentNullException.ThrowIfNull(newEncoder);
        ArgumentNullException.ThrowIfNull(newClassifier);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(featureSize, 1);
        options.Validate();
        _options = options;
        _newEncoder = newEncoder;
        _sourceLoss = sourceLoss ?? ((output, labels) => nn.functional.cross_entropy(output, labels));
        _random = new Random(options.Seed);
        TorchDeterminism.Seed(options.Seed);
        SourceEncoder = newEncoder();
        Classifier = newClassifier();
        Discriminator = DomainDiscriminator.Create(featureSize, options.DiscriminatorHidden);
    }

    /// <summary>The source encoder (trained in stage 1, frozen in stage 2).</summary>
    public nn.Module<Tensor, Tensor> SourceEncoder { get; }

    /// <summary>The target encoder: null before <see cref="Adapt"/>, then initialised from the source encoder and trained adversarially.</summary>
    public nn.Module<Tensor, Tensor>? TargetEncoder { get; private set; }

    /// <summary>The classifier, trained in stage 1 and shared by both domains.</summary>
    public nn.Module<Tensor, Tensor> Classifier { get; }

    /// <summary>The domain discriminator of stage 2.</summary>
    public nn.Module<Tensor, Tensor> Discriminator { get; }

    /// <summary>Every progress report of the run so far, in order (both stages).</summary>
    public IReadOnlyList<AddaProgress> History => _history;

    /// <summary>Stage 1: trains source encoder and classifier on <paramref name="x"/> with labels <paramref name="y"/> for <see cref="AddaOptions.SourceSteps"/> steps.</summary>
    public void TrainSource(Tensor x, Tensor y, IProgress<AddaProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.shape[0] != y.shape[0])
            throw new ArgumentException($"source data has {x.shape[0]} inputs but {y.shape[0]} labels.", nameof(y));
        ArgumentOutOfRangeException.ThrowIfLessThan(x.shape[0], 1, nameof(x));
        var o = _options;
        var parameters = SourceEncoder.parameters().Concat(Classifier.parameters());
        using var optimizer = optim.Adam(parameters, lr: o.SourceLearningRate, beta1: o.Beta1, beta2: 0.999);
        var sampler = new BatchSampler((int)x.shape[0], o.BatchSize, _random);
        SourceEncoder.train();
        Classifier.train();
        var clock = Stopwatch.StartNew();
        double sum = 0;
        var n = 0;
        for (var step = 1; step <= o.SourceSteps; step++)
        {
            cancellation.ThrowIfCancellationRequested();
            using (NewDisposeScope())
            {
                var idx = tensor(sampler.Next());
                optimizer.zero_grad();
                var loss = _sourceLoss(Classifier.forward(SourceEncoder.forward(x.index_select(0, idx))), y.index_select(0, idx));
                loss.backward();
                optimizer.step();
                sum += Finite(loss.item<float>(), "source loss", step);
                n++;
            }
            if (step % o.ReportEvery == 0 || step == o.SourceSteps)
            {
                Report(progress, new AddaProgress(AddaStage.Source, step, o.SourceSteps, sum / n, double.NaN, double.NaN, double.NaN, clock.Elapsed));
                sum = 0;
                n = 0;
            }
        }
    }

    /// <summary>
    /// Stage 2: builds the target encoder from the source encoder's weights and trains it against the
    /// discriminator for <see cref="AddaOptions.AdversarialSteps"/> steps. Each step trains the
    /// discriminator on a source batch (label source) and a target batch (label target), then the
    /// target encoder on the target batch with the label flipped to source.
    /// </summary>
    /// <param name="sourceX">Source inputs (labels not needed).</param>
    /// <param name="targetX">Unlabelled target inputs.</param>
    /// <param name="progress">Optional progress sink.</param>
    /// <param name="cancellation">Stops between steps.</param>
    public void Adapt(Tensor sourceX, Tensor targetX, IProgress<AddaProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(sourceX);
        ArgumentNullException.ThrowIfNull(targetX);
        ArgumentOutOfRangeException.ThrowIfLessThan(sourceX.shape[0], 1, nameof(sourceX));
        ArgumentOutOfRangeException.ThrowIfLessThan(targetX.shape[0], 1, nameof(targetX));
        var o = _options;
        TargetEncoder?.Dispose();
        TargetEncoder = _newEncoder();
        TargetEncoder.load_state_dict(SourceEncoder.state_dict());
        var target = TargetEncoder;
        SourceEncoder.eval();
        foreach (var p in SourceEncoder.parameters()) p.requires_grad = false;
        using var dOptimizer = optim.Adam(Discriminator.parameters(), lr: o.DiscriminatorLearningRate, beta1: o.Beta1, beta2: 0.999);
        using var tOptimizer = optim.Adam(target.parameters(), lr: o.TargetLearningRate, beta1: o.Beta1, beta2: 0.999);
        var sourceSampler = new BatchSampler((int)sourceX.shape[0], o.BatchSize, _random);
        var targetSampler = new BatchSampler((int)targetX.shape[0], o.BatchSize, _random);
        target.train();
        Discriminator.train();
        try
        {
            var clock = Stopwatch.StartNew();
            double dSum = 0, tSum = 0, accSum = 0;
            var n = 0;
            for (var step = 1; step <= o.AdversarialSteps; step++)
            {
                cancellation.ThrowIfCancellationRequested();
                using (NewDisposeScope())
                {
                    var xs = sourceX.index_select(0, tensor(sourceSampler.Next()));
                    var xt = targetX.index_select(0, tensor(targetSampler.Next()));
                    Tensor fs;
                    using (no_grad()) fs = SourceEncoder.forward(xs);
                    var ft = target.forward(xt);

                    // Discriminator: tell source features (label Source) from target features (label Target).
                    dOptimizer.zero_grad();
                    var features = cat([fs, ft.detach()], 0);
                    var domains = cat([full(fs.shape[0], DomainDiscriminator.Source, ScalarType.Int64), full(ft.shape[0], DomainDiscriminator.Target, ScalarType.Int64)], 0);
                    var logits = Discriminator.forward(features);
                    var dLoss = nn.functional.cross_entropy(logits, domains);
                    dLoss.backward();
                    dOptimizer.step();
                    var accuracy = logits.argmax(1).eq(domains).to_type(ScalarType.Float32).mean().item<float>();

                    // Target encoder: make the discriminator call target features source (inverted labels).
                    tOptimizer.zero_grad();
                    dOptimizer.zero_grad();
                    var tLoss = nn.functional.cross_entropy(Discriminator.forward(ft), full(ft.shape[0], DomainDiscriminator.Source, ScalarType.Int64));
                    tLoss.backward();
                    tOptimizer.step();

                    dSum += Finite(dLoss.item<float>(), "discriminator loss", step);
                    tSum += Finite(tLoss.item<float>(), "target-encoder loss", step);
                    accSum += accuracy;
                    n++;
                }
                if (step % o.ReportEvery == 0 || step == o.AdversarialSteps)
                {
                    Report(progress, new AddaProgress(AddaStage.Adversarial, step, o.AdversarialSteps, double.NaN, dSum / n, tSum / n, accSum / n, clock.Elapsed));
                    dSum = tSum = accSum = 0;
                    n = 0;
                }
            }
        }
        finally
        {
            // The source encoder is frozen only for this stage, also when it is cancelled or diverges.
            foreach (var p in SourceEncoder.parameters()) p.requires_grad = true;
        }
        target.eval();
    }

    /// <summary>Classifier outputs for <paramref name="x"/> through the source encoder or (after <see cref="Adapt"/>) the target encoder, in evaluation mode, in chunks.</summary>
    public Tensor Predict(Tensor x, bool throughTarget)
    {
        ArgumentNullException.ThrowIfNull(x);
        var encoder = throughTarget
            ? TargetEncoder ?? throw new InvalidOperationException("there is no target encoder before Adapt has run.")
            : SourceEncoder;
        return Predict(encoder, Classifier, x);
    }

    /// <summary>classifier(encoder(x)) in evaluation mode without gradients, 512 inputs at a time.</summary>
    public static Tensor Predict(nn.Module<Tensor, Tensor> encoder, nn.Module<Tensor, Tensor> classifier, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(x);
        encoder.eval();
        classifier.eval();
        using var _ = no_grad();
        var parts = new List<Tensor>();
        for (long start = 0; start < x.shape[0]; start += 512)
            parts.Add(classifier.forward(encoder.forward(x.narrow(0, start, Math.Min(512, x.shape[0] - start)))));
        var all = cat(parts, 0);
        foreach (var p in parts) p.Dispose();
        return all;
    }

    /// <summary>Share of <paramref name="x"/> whose arg-max class equals <paramref name="labels"/> (int64).</summary>
    public double Accuracy(Tensor x, Tensor labels, bool throughTarget)
    {
        using var scores = Predict(x, throughTarget);
        using var hits = scores.argmax(1).eq(labels);
        return hits.to_type(ScalarType.Float64).mean().item<double>();
    }

    private void Report(IProgress<AddaProgress>? progress, AddaProgress p)
    {
        _history.Add(p);
        progress?.Report(p);
    }

    private static double Finite(float value, string what, int step) => float.IsFinite(value)
        ? value
        : throw new InvalidOperationException($"ADDA diverged: the {what} is {value} at step {step}; lower the learning rate.");

    /// <summary>Disposes the networks.</summary>
    public void Dispose()
    {
        SourceEncoder.Dispose();
        TargetEncoder?.Dispose();
        Classifier.Dispose();
        Discriminator.Dispose();
    }
}
