using Vigil.Models.Onnx;
using Vigil.Models.OnnxBuilder;
using Vigil.Models.Tensors;

namespace Vigil.Models.Tests.Onnx;

/// <summary>
/// Weights that a model also lists as graph inputs (older exporters) are loaded as constants by
/// default, so ONNX Runtime can fold and fuse them; the model's results do not change.
/// </summary>
public sealed class OnnxInitializerInputsTests
{
    private static readonly float[] Weight = [2f, -1f, 0.5f];
    private static readonly float[] Bias = [1f, 1f, 1f];

    // y = x * w + b, with w and b weights that are also declared as inputs.
    private static byte[] LegacyExport() => new OnnxModelBuilder("legacy")
        .Input("x", OnnxDataType.Float, 1, 3)
        .OverridableInitializer("w", [3], Weight)
        .OverridableInitializer("b", [3], Bias)
        .Node("Mul", ["x", "w"], ["xw"])
        .Node("Add", ["xw", "b"], ["y"])
        .Output("y", OnnxDataType.Float, 1, 3)
        .Build();

    [Fact]
    public void Remove_DropsOnlyTheWeightInputs_AndKeepsTheInitializers()
    {
        var (model, removed) = OnnxInitializerInputs.Remove(LegacyExport());
        Assert.Equal(2, removed);
        Assert.Equal(0, OnnxInitializerInputs.Remove(model).Removed);
        using var session = OnnxSession.Load(model, "legacy", new OnnxSessionOptions { KeepInitializerInputs = true });
        Assert.Equal(["x"], session.Inputs.Select(i => i.Name));
        using var x = DenseTensor<float>.Wrap([1f, 2f, 3f], 1, 3);
        using var result = session.Run("x", x);
        Assert.Equal([3f, -1f, 2.5f], result.Get<float>("y").Span.ToArray());
    }

    [Fact]
    public void Load_ByDefault_MakesWeightInputsConstant_WithTheSameResult()
    {
        using var asGiven = OnnxSession.Load(LegacyExport(), "legacy", new OnnxSessionOptions { KeepInitializerInputs = true });
        using var served = OnnxSession.Load(LegacyExport(), "legacy");
        // (ORT lists only required inputs either way; the difference is whether the weights are constants.)
        Assert.Equal(0, asGiven.WeightInputsMadeConstant);
        Assert.Single(served.Inputs);
        Assert.Equal(2, served.WeightInputsMadeConstant);

        using var x = DenseTensor<float>.Wrap([4f, 0f, -2f], 1, 3);
        using var a = asGiven.Run("x", x);
        using var b = served.Run("x", x);
        Assert.Equal(a.Get<float>("y").Span.ToArray(), b.Get<float>("y").Span.ToArray());
    }

    [Fact]
    public void Load_FromFile_MakesWeightInputsConstant_AndKeepsThePath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"vigil-legacy-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, LegacyExport());
        try
        {
            using var session = OnnxSession.Load(path);
            Assert.Equal(path, session.ModelPath);
            Assert.Equal(2, session.WeightInputsMadeConstant);
            Assert.Single(session.Inputs);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Remove_ModelWithoutWeightInputs_ReturnsTheSameBytes()
    {
        var model = new OnnxModelBuilder("clean")
            .Input("x", OnnxDataType.Float, 1, 3)
            .Initializer("w", [3], Weight)
            .Node("Mul", ["x", "w"], ["y"])
            .Output("y", OnnxDataType.Float, 1, 3)
            .Build();
        var (result, removed) = OnnxInitializerInputs.Remove(model);
        Assert.Equal(0, removed);
        Assert.Same(model, result);
    }

    [Fact]
    public void Remove_GarbageBytes_ThrowsInvalidData()
    {
        Assert.Throws<InvalidDataException>(() => OnnxInitializerInputs.Remove([0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]));
    }

    [Fact]
    public void Load_UltraFace_LoadsItsExportedWeightsAsConstants()
    {
        // The RFB-320 export lists all 244 weights as inputs; only "input" is a real one.
        using var session = OnnxSession.Load(SharedAssets.Model("ultraface_version-RFB-320.onnx"), new OnnxSessionOptions { IntraOpThreads = 1 });
        Assert.Equal(["input"], session.Inputs.Select(i => i.Name));
        Assert.Equal(244, session.WeightInputsMadeConstant);
    }
}
