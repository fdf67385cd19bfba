using TorchSharp;
using Vigil.Models.Training;
using Vigil.Ppg.Tracking;
using static TorchSharp.torch;

namespace Vigil.Ppg.Training;

/// <summary>Settings of <see cref="RefinementTrainer"/>.</summary>
/// <param name="Seed">Seed of weight initialisation and example order.</param>
/// <param name="Epochs">Passes over the examples.</param>
/// <param name="Hidden">Widths of the hidden layers.</param>
/// <param name="LearningRate">Adam's peak learning rate.</param>
/// <param name="TargetCoverage">Operating point: least share of recorded training windows reported (cross-fitted).</param>
/// <param name="TargetGeneratedCoverage">Operating point: least share of generated (other-device) training windows reported (cross-fitted).</param>
public sealed record RefinementTrainingOptions(int Seed = 1, int Epochs = 40, int[]? Hidden = null, double LearningRate = 3e-3,
    double TargetCoverage = 0.96, double TargetGeneratedCoverage = 0.91)
{
    /// <summary>Hidden widths (default 24, 12).</summary>
    public int[] HiddenLayers => Hidden ?? [24, 12];
}

/// <summary>
/// Trains the refinement: a multilayer perceptron from the tracker's features to the probability
/// that its estimate is within 5 BPM (binary cross-entropy), with TorchSharp through the shared
/// <see cref="TrainingLoop"/>, then exports the weights for plain-C# inference.
/// </summary>
public static class RefinementTrainer
{
    /// <summary>
    /// Trains on <paramref name="examples"/>; returns the model and its weights file bytes.
    /// <paramref name="withholdBelow"/> is the operating point written with the weights (see <see cref="RefinementOperatingPoint"/>).
    /// </summary>
    public static (PpgRefinementModel Model, byte[] Weights, IReadOnlyList<EpochSummary> Epochs) Train(
        IReadOnlyList<RefinementExample> examples, RefinementTrainingOptions options, string provenance, IProgress<TrainingProgress>? progress = null,
        double? withholdBelow = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (examples.Count < 10) throw new ArgumentException($"need at least 10 training windows, got {examples.Count}.");
        var n = examples.Count;
        var d = RefinementFeatures.Count;
        // Standardise with the training set's statistics (stored with the weights).
        var mean = new float[d]; var std = new float[d];
        for (var j = 0; j < d; j++)
        {
            double s = 0, ss = 0;
            foreach (var e in examples) { s += e.Features[j]; ss += e.Features[j] * (double)e.Features[j]; }
            var m = s / n;
            mean[j] = (float)m;
            std[j] = (float)Math.Max(1e-3, Math.Sqrt(Math.Max(0, ss / n - m * m)));
        }
        var x = new float[n * d]; var y = new float[n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < d; j++) x[i * d + j] = (examples[i].Features[j] - mean[j]) / std[j];
            y[i] = examples[i].Correct ? 1 : 0;
        }
        TorchSharpNative.EnsureLoaded();
        TorchDeterminism.Seed(options.Seed);
        // A network this small runs fastest on one thread (and does not fight other work for cores).
        torch.set_num_threads(1);
        using var xs = tensor(x, [n, d]);
        using var ys = tensor(y, [n, 1]);
        var sizes = new List<int> { d };
        sizes.AddRange(options.HiddenLayers);
        sizes.Add(1);
        var layers = new List<nn.Module<Tensor, Tensor>>();
        var linears = new List<nn.Module<Tensor, Tensor>>();
        for (var l = 0; l + 1 < sizes.Count; l++)
        {
            var linear = nn.Linear(sizes[l], sizes[l + 1]);
            linears.Add(linear);
            layers.Add(linear);
            if (l + 2 < sizes.Count) layers.Add(nn.ReLU());
        }
        var model = nn.Sequential(layers);
        var optimizer = optim.Adam(model.parameters(), lr: options.LearningRate, weight_decay: 1e-4);
        var loop = new TrainingLoop(new TrainingOptions { Epochs = options.Epochs, BatchSize = 256, Seed = options.Seed, LearningRate = options.LearningRate });
        var epochs = loop.Run(n, optimizer, idx =>
        {
            var index = tensor(idx);
            return nn.functional.binary_cross_entropy_with_logits(model.forward(xs[index]), ys[index]);
        }, progress: progress);
        model.eval();
        var exported = new List<(float[] Weight, float[] Bias)>();
        foreach (var linear in linears.Cast<TorchSharp.Modules.Linear>())
            exported.Add((linear.weight!.data<float>().ToArray(), linear.bias!.data<float>().ToArray()));
        var bytes = PpgRefinementModel.Serialize(mean, std, exported, withholdBelow);
        return (PpgRefinementModel.Parse(bytes, provenance, "trained weights"), bytes, epochs);
    }
}
