using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using TorchSharp;
using Vigil.Models.Cards;
using Vigil.Models.Training;
using static TorchSharp.torch;

namespace Vigil.Models.Tests.Training;

public sealed class TorchTrainingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-torch-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // y = 3 x0 - 2 x1 + 0.5 x2 * x3 + 1, with noise: a small MLP must learn it.
    private static (Tensor X, Tensor Y) Data(int n, int seed)
    {
        var random = new Random(seed);
        var x = new float[n * 4];
        var y = new float[n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < 4; j++) x[i * 4 + j] = (float)(random.NextDouble() * 2 - 1);
            y[i] = 3 * x[i * 4] - 2 * x[i * 4 + 1] + 0.5f * x[i * 4 + 2] * x[i * 4 + 3] + 1 + (float)(random.NextDouble() - 0.5) * 0.05f;
        }
        return (tensor(x, [n, 4]), tensor(y, [n, 1]));
    }

    private static nn.Module<Tensor, Tensor> Network() =>
        nn.Sequential(("fc1", nn.Linear(4, 16)), ("relu", nn.ReLU()), ("fc2", nn.Linear(16, 1)));

    private static (nn.Module<Tensor, Tensor> Model, IReadOnlyList<EpochSummary> Epochs, List<TrainingProgress> Progress) Train(int seed)
    {
        TorchDeterminism.Seed(seed);
        var (x, y) = Data(256, 7);
        var model = Network();
        var optimizer = optim.Adam(model.parameters(), lr: 0.02);
        var progress = new List<TrainingProgress>();
        var loop = new TrainingLoop(new TrainingOptions { Epochs = 30, BatchSize = 32, Seed = seed, LearningRate = 0.02 });
        var epochs = loop.Run(256, optimizer,
            idx => nn.functional.mse_loss(model.forward(x[tensor(idx)]), y[tensor(idx)]),
            progress: new SyncProgress(progress));
        return (model, epochs, progress);
    }

    [Fact]
    public void TrainingLoop_SmallNetwork_LossFallsAndProgressCountsDown()
    {
        var (_, epochs, progress) = Train(seed: 11);
        Assert.Equal(30, epochs.Count);
        Assert.True(epochs[^1].TrainLoss < epochs[0].TrainLoss / 10, $"loss {epochs[0].TrainLoss} -> {epochs[^1].TrainLoss}");
        Assert.True(epochs[^1].TrainLoss < 0.05, $"final loss {epochs[^1].TrainLoss}");
        Assert.Equal(30 * 8, progress.Count);
        Assert.Equal(TimeSpan.Zero, progress[^1].Remaining);
        Assert.Contains("ETA", progress[0].ToString());
        Assert.All(epochs, e => Assert.True(e.PeakWorkingSetBytes > 0));
    }

    [Fact]
    public void TrainingLoop_SameSeed_SameWeights()
    {
        var a = Train(seed: 5).Model.parameters().Select(p => p.data<float>().ToArray()).ToList();
        var b = Train(seed: 5).Model.parameters().Select(p => p.data<float>().ToArray()).ToList();
        var c = Train(seed: 6).Model.parameters().Select(p => p.data<float>().ToArray()).ToList();
        Assert.Equal(a.Count, b.Count);
        for (var i = 0; i < a.Count; i++) Assert.Equal(a[i], b[i]);
        Assert.NotEqual(a[0], c[0]);
    }

    [Fact]
    public async Task TrainedModel_SavedAsCardAndReloaded_RunsInsideAkkaStream()
    {
        var (model, epochs, _) = Train(seed: 3);
        var card = TrainedModelCard.Save(model, _dir, new ModelCard
        {
            Id = "toy-mlp", Version = "1.0.0", Task = "regression",
            Description = "A 4-16-1 MLP fitted to a known function in a test.",
            Inputs = [new CardTensor { Name = "x", ElementType = "float32", Shape = [CardDimension.Named("N"), CardDimension.Fixed(4)], Meaning = "four features in [-1, 1]" }],
            Outputs = [new CardTensor { Name = "y", ElementType = "float32", Shape = [CardDimension.Named("N"), CardDimension.Fixed(1)], Meaning = "the fitted value" }],
            IntendedUse = new CardIntendedUse { Summary = "Test of the training room.", NotForClinicalUse = true },
            Origin = new CardOrigin { Source = "TorchTrainingTests", Licence = "Same as the Vigil repository" },
            Training = new CardTraining { Dataset = "synthetic(seed 7, n 256)", Split = "all for training", Seed = 3, Epochs = 30,
                Metrics = new Dictionary<string, double> { ["train_mse"] = epochs[^1].TrainLoss } },
        });
        Assert.Equal("torchsharp", card.Runtime);
        Assert.Equal(3, card.Training!.Seed);
        Assert.Equal(Vigil.Models.Catalog.ModelFileHash.Sha256OfFile(Path.Combine(_dir, "toy-mlp.weights")), card.Sha256);

        var reloaded = Network();
        TrainedModelCard.LoadWeights(card, reloaded);
        reloaded.eval();

        var (x, _) = Data(8, 99);
        float[] expected;
        using (no_grad()) expected = model.forward(x).data<float>().ToArray();

        using var system = ActorSystem.Create("torch-test");
        var rows = Enumerable.Range(0, 8).Select(i => x[i].unsqueeze(0)).ToList();
        var outputs = await Source.From(rows)
            .Select(row => { using (no_grad()) return reloaded.forward(row).item<float>(); })
            .RunWith(Sink.Seq<float>(), system.Materializer());
        // Row by row against the whole batch: equal up to float summation order.
        Assert.Equal(8, outputs.Count);
        for (var i = 0; i < 8; i++) Assert.Equal(expected[i], outputs[i], 1e-5f);
    }

    [Fact]
    public void LoadWeights_TamperedFile_RefusedWithSha256()
    {
        var (model, _, _) = Train(seed: 2);
        var card = TrainedModelCard.Save(model, _dir, new ModelCard
        {
            Id = "tampered", Version = "1", Task = "regression",
            Inputs = [new CardTensor { Name = "x", ElementType = "float32", Shape = [CardDimension.Fixed(4)], Meaning = "x" }],
            Outputs = [new CardTensor { Name = "y", ElementType = "float32", Shape = [CardDimension.Fixed(1)], Meaning = "y" }],
            IntendedUse = new CardIntendedUse { Summary = "test", NotForClinicalUse = true },
            Origin = new CardOrigin { Source = "test", Licence = "none stated" },
        });
        var bytes = File.ReadAllBytes(card.ModelPath);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(card.ModelPath, bytes);
        var e = Assert.Throws<ModelCardException>(() => TrainedModelCard.LoadWeights(card, Network()));
        Assert.Contains("sha256", e.Message);
    }

    [Fact]
    public void NativeLibrary_BesideTests_CarriesTheDebianFix()
    {
        Assert.True(TorchSharpNative.IsPatched(TorchSharpNative.LibraryPath), TorchSharpNative.LibraryPath);
    }

    // Progress<T> posts to the thread pool; tests need the reports in order, at once.
    private sealed class SyncProgress(List<TrainingProgress> sink) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => sink.Add(value);
    }
}
