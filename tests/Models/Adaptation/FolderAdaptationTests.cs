using OpenCvSharp;
using TorchSharp;
using Vigil.Models.Training;
using Vigil.Models.Training.Adaptation;
using Scalar = OpenCvSharp.Scalar;

namespace Vigil.Models.Tests.Adaptation;

/// <summary><c>vigil adapt --source --target --out</c>'s library side on tiny generated folders.</summary>
public sealed class FolderAdaptationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-adapt-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // Class "bar" draws a vertical bar, class "dot" a disc; the target domain is the same shapes on a brighter, inverted background.
    private void Write(string folder, string shape, int count, bool inverted)
    {
        Directory.CreateDirectory(folder);
        var random = new Random(folder.Length + count);
        for (var i = 0; i < count; i++)
        {
            using var m = new Mat(28, 28, MatType.CV_8UC1, Scalar.All(inverted ? 200 : 20));
            var colour = Scalar.All(inverted ? 40 : 230);
            var x = 8 + random.Next(12);
            if (shape == "bar") m.Rectangle(new Rect(x - 2, 4, 4, 20), colour, -1);
            else m.Circle(new OpenCvSharp.Point(x, 14), 5, colour, -1);
            Cv2.ImWrite(Path.Combine(folder, $"{shape}{i}.png"), m);
        }
    }

    [Fact]
    public void Run_TwoClassFolders_WritesACardWhoseWeightsLoadBack()
    {
        torch.set_num_threads(1);
        var source = Path.Combine(_dir, "source");
        var target = Path.Combine(_dir, "target");
        Write(Path.Combine(source, "bar"), "bar", 12, false);
        Write(Path.Combine(source, "dot"), "dot", 12, false);
        Write(Path.Combine(target, "any"), "bar", 6, true);
        Write(Path.Combine(target, "any"), "dot", 6, true);
        var result = FolderAdaptation.Run(new FolderAdaptationOptions
        {
            Source = source, Target = target, OutCard = Path.Combine(_dir, "out", "toy.card.json"), Seed = 2,
            Adda = new AddaOptions { BatchSize = 8, SourceSteps = 40, AdversarialSteps = 10, SourceLearningRate = 1e-3, ReportEvery = 10 },
            Command = "test",
        });
        Assert.Equal(["bar", "dot"], result.Classes);
        Assert.Equal(24, result.SourceImages);
        Assert.Equal(12, result.TargetImages);
        Assert.True(result.SourceAccuracy > 0.9, $"source accuracy {result.SourceAccuracy:F3}");
        Assert.Equal("torchsharp", result.Card.Runtime);
        Assert.True(result.Card.NotForClinicalUse);
        Assert.Equal(["bar", "dot"], result.Card.Labels);
        var model = torch.nn.Sequential(("encoder", LeNet.Encoder(28)), ("classifier", LeNet.Classifier(2)));
        TrainedModelCard.LoadWeights(result.Card, model);
    }

    [Fact]
    public void Run_OneClass_IsRefusedNamingTheFolder()
    {
        var source = Path.Combine(_dir, "one");
        Write(Path.Combine(source, "bar"), "bar", 3, false);
        var e = Assert.Throws<InvalidDataException>(() => FolderAdaptation.Run(new FolderAdaptationOptions
        {
            Source = source, Target = source, OutCard = Path.Combine(_dir, "x.card.json"),
        }));
        Assert.Contains(source, e.Message);
        Assert.Contains("two class subfolders", e.Message);
    }
}
