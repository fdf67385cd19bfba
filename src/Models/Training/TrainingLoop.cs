using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace Vigil.Models.Training;

/// <summary>
/// The shared training loop: a seeded order of examples per epoch, one optimiser step per batch,
/// a cosine learning-rate schedule, progress with an ETA after each step, and a per-epoch summary
/// with an optional validation metric. The caller owns the model, the data and the loss: it is
/// handed the indices of each batch and returns that batch's loss tensor.
/// </summary>
public sealed class TrainingLoop
{
    private readonly TrainingOptions _options;

    /// <summary>Creates a loop with validated options.</summary>
    public TrainingLoop(TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    /// <summary>
    /// Trains for <see cref="TrainingOptions.Epochs"/> epochs over <paramref name="exampleCount"/> examples.
    /// </summary>
    /// <param name="exampleCount">Number of training examples (indices 0..n-1).</param>
    /// <param name="optimizer">The optimiser over the trainable parameters; its learning rate is set per epoch.</param>
    /// <param name="batchLoss">Computes the (scalar) loss of the examples at the given indices; called in training mode.</param>
    /// <param name="validate">Optional: a metric computed after each epoch (e.g. validation MAD); NaN when omitted.</param>
    /// <param name="progress">Optional progress sink, reported after every step.</param>
    /// <param name="cancellation">Stops between steps.</param>
    /// <returns>One summary per epoch.</returns>
    public IReadOnlyList<EpochSummary> Run(
        int exampleCount,
        optim.Optimizer optimizer,
        Func<long[], Tensor> batchLoss,
        Func<int, double>? validate = null,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellation = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(exampleCount, 1);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(batchLoss);
        TorchSharpNative.EnsureLoaded();
        var o = _options;
        var batches = (exampleCount + o.BatchSize - 1) / o.BatchSize;
        var totalSteps = (long)batches * o.Epochs;
        var random = new Random(o.Seed);
        var order = Enumerable.Range(0, exampleCount).Select(i => (long)i).ToArray();
        var summaries = new List<EpochSummary>(o.Epochs);
        var run = Stopwatch.StartNew();
        long step = 0;
        for (var epoch = 1; epoch <= o.Epochs; epoch++)
        {
            var epochClock = Stopwatch.StartNew();
            SetLearningRate(optimizer, LearningRateAt(epoch));
            random.Shuffle(order);
            double lossSum = 0;
            for (var b = 0; b < batches; b++)
            {
                cancellation.ThrowIfCancellationRequested();
                var start = b * o.BatchSize;
                var indices = order.AsSpan(start, Math.Min(o.BatchSize, exampleCount - start)).ToArray();
                using (NewDisposeScope())
                {
                    optimizer.zero_grad();
                    var loss = batchLoss(indices);
                    loss.backward();
                    optimizer.step();
                    var value = loss.item<float>();
                    if (!float.IsFinite(value))
                        throw new InvalidOperationException($"training diverged: the loss is {value} at epoch {epoch}, batch {b + 1}; lower the learning rate.");
                    lossSum += value;
                }
                step++;
                var elapsed = run.Elapsed;
                progress?.Report(new TrainingProgress(epoch, o.Epochs, b + 1, batches, lossSum / (b + 1), elapsed,
                    TimeSpan.FromTicks((long)(elapsed.Ticks / (double)step * (totalSteps - step)))));
            }
            var metric = validate?.Invoke(epoch) ?? double.NaN;
            summaries.Add(new EpochSummary(epoch, lossSum / batches, metric, epochClock.Elapsed, Process.GetCurrentProcess().PeakWorkingSet64));
        }
        return summaries;
    }

    /// <summary>The learning rate of <paramref name="epoch"/> (1-based) under the options' schedule.</summary>
    public double LearningRateAt(int epoch)
    {
        var o = _options;
        if (!o.CosineSchedule || o.Epochs == 1) return o.LearningRate;
        var t = (epoch - 1) / (double)(o.Epochs - 1);
        var floor = 0.02 * o.LearningRate;
        return floor + (o.LearningRate - floor) * 0.5 * (1 + Math.Cos(Math.PI * t));
    }

    private static void SetLearningRate(optim.Optimizer optimizer, double rate)
    {
        foreach (var group in optimizer.ParamGroups) group.LearningRate = rate;
    }
}
