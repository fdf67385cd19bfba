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
    }
}
