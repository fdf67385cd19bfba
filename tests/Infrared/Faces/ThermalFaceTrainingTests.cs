using TorchSharp;
using Vigil.Infrared.Faces;
using Vigil.Infrared.Training.Faces;
using Vigil.Models.Onnx;
using Vigil.Models.Tensors;
using Vigil.Models.Training;
using Vigil.Tests.Common;
using static TorchSharp.torch;

namespace Vigil.Infrared.Tests.Faces;

public sealed class ThermalFaceTrainingTests
{
    private static List<(OpenCvSharp.Mat Image, List<ThermalFace> Faces)> FewTrainingImages(int count)
    {
        var dataset = ChipsDataset.Load(SharedData.Require("data/thermal-faces/chips"));
        return dataset.Part(ChipsPart.Train).Where(i => i.Faces.Count > 0).Take(count)
            .Select(i => (ChipsDataset.ReadImage(i.Path), i.Faces.ToList())).ToList();
    }

    [Fact]
    public void BatchLoss_TinyModelOnEightImages_LossFalls()
    {
        TorchDeterminism.Seed(3);
        torch.set_num_threads(1);
        var data = FewTrainingImages(8);
        using var module = new ThermalFaceModule();
        using var optimizer = optim.AdamW(module.parameters(), 3e-3);
        var random = new Random(3);
        var losses = new List<float>();
        long[] all = [0, 1, 2, 3, 4, 5, 6, 7];
        for (var step = 0; step < 25; step++)
            using (NewDisposeScope())
            {
                optimizer.zero_grad();
                var loss = ThermalFaceTrainer.BatchLoss(module, data, all, random, 160, 120);
                loss.backward();
                optimizer.step();
                losses.Add(loss.item<float>());
            }
        foreach (var (image, _) in data) image.Dispose();
        var first = losses.Take(3).Average();
        var last = losses.TakeLast(3).Average();
        Assert.True(last < 0.6 * first, $"loss did not fall: first {first:F3}, last {last:F3} ({string.Join(", ", losses.Select(l => l.ToString("F2")))})");
    }

    [Fact]
    public void BatchLoss_WithIoULoss_AddsTheBoxTermOnTheSameBatch()
    {
        TorchDeterminism.Seed(4);
        var data = FewTrainingImages(4);
        using var module = new ThermalFaceModule();
        long[] all = [0, 1, 2, 3];
        float Loss(double weight)
        {
            using var scope = NewDisposeScope();
            var options = new ThermalFaceTrainingOptions { Data = "", OutDirectory = "", IoULossWeight = weight, ScaleMin = 0.5, ScaleMax = 1.5 };
            return ThermalFaceTrainer.BatchLoss(module, data, all, new Random(9), options).item<float>();
        }
        var plain = Loss(0);
        var withIoU = Loss(1);
        var doubled = Loss(2);
        foreach (var (image, _) in data) image.Dispose();
        Assert.True(float.IsFinite(withIoU) && withIoU > plain, $"loss {plain:F4} without, {withIoU:F4} with the IoU term");
        Assert.Equal(2 * (withIoU - plain), doubled - plain, 2); // the weight scales the term
        Assert.InRange(withIoU - plain, 0.01, 1.0); // 1 - IoU per face, averaged
    }

    [Fact]
    public void ToOnnx_ModuleWithRunningStatistics_OnnxRuntimeMatchesTorch()
    {
        TorchDeterminism.Seed(5);
        using var module = new ThermalFaceModule();
        using (no_grad())
            for (var i = 0; i < 3; i++) module.forward(randn(2, 3, 40, 48) * 2 + 0.3).Dispose(); // running mean/var away from 0/1
        module.eval();
        var input = randn(1, 3, 40, 48);
        float[] expected;
        using (no_grad()) expected = module.forward(input).data<float>().ToArray();
        using var session = OnnxSession.Load(ThermalFaceOnnxExport.ToOnnx(module, 48, 40), "ir-face-test");
        using var tensor = DenseTensor<float>.Wrap(input.data<float>().ToArray(), 1, 3, 40, 48);
        using var result = session.Run("image", tensor);
        var actual = result.Get<float>("map");
        Assert.Equal(new TensorShape(1, 5, 10, 12), actual.Shape);
        var diff = expected.Zip(actual.ToArray(), (a, b) => Math.Abs(a - b)).Max();
        Assert.True(diff < 1e-3, $"ONNX and torch differ by {diff}");
    }
}
