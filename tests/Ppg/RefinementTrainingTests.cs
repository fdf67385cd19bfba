using Vigil.Ppg.Synthetic;
using Vigil.Ppg.Training;

namespace Vigil.Ppg.Tests;

public sealed class RefinementTrainingTests
{
    [Fact]
    public void Train_GeneratedRecordings_SeparatesCorrectFromWrongWindows()
    {
        // A tiny run: features from a few generated recordings, a few epochs of TorchSharp.
        var examples = new List<RefinementExample>();
        foreach (var s in StressScenario.Suite(perCase: 1, firstSeed: 301, seconds: 150))
        {
            var g = StressGenerator.Generate(s);
            examples.AddRange(RefinementDataset.FromRecording(g.Recording, g.Truth, s.Name));
        }
        Assert.Contains(examples, e => !e.Correct);
        Assert.Contains(examples, e => e.Correct);
        var (model, weights, epochs) = RefinementTrainer.Train(examples, new RefinementTrainingOptions(Seed: 3, Epochs: 15), "test");
        Assert.True(epochs[^1].TrainLoss < epochs[0].TrainLoss, $"loss {epochs[0].TrainLoss:0.000} -> {epochs[^1].TrainLoss:0.000}");
        var scratch = new float[2 * model.MaxWidth];
        var right = examples.Where(e => e.Correct).Average(e => model.Probability(e.Features, scratch));
        var wrong = examples.Where(e => !e.Correct).Average(e => model.Probability(e.Features, scratch));
        Assert.True(right > wrong + 0.1, $"mean probability {right:0.00} on correct windows vs {wrong:0.00} on wrong ones");
        // Same seed, same weights.
        var again = RefinementTrainer.Train(examples, new RefinementTrainingOptions(Seed: 3, Epochs: 15), "test").Weights;
        Assert.Equal(weights, again);

        // The operating point from cross-fitted predictions (3 folds of recordings): a candidate threshold whose
        // cross-fitted coverage keeps the target, written with the weights and read back by the model.
        var options = new RefinementTrainingOptions(Seed: 3, Epochs: 5, TargetCoverage: 0.8);
        var point = RefinementOperatingPoint.Choose(examples, options, folds: 3);
        Assert.Contains(point.Threshold, RefinementOperatingPoint.Candidates);
        Assert.True(point.Chosen.Coverage >= 0.8 || point.Threshold == RefinementOperatingPoint.Candidates[0], $"coverage {point.Chosen.Coverage:P1} at {point.Threshold}");
        // Coverage can only fall as the threshold rises.
        Assert.True(point.Curve.Zip(point.Curve.Skip(1)).All(p => p.Second.Coverage <= p.First.Coverage));
        var withPoint = RefinementTrainer.Train(examples, options, "test", withholdBelow: point.Threshold).Model;
        Assert.Equal(point.Threshold, withPoint.WithholdBelow!.Value, 4);
    }
}
