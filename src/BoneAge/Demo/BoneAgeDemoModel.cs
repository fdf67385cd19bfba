using Vigil.Models.OnnxBuilder;

namespace Vigil.BoneAge.Demo;

/// <summary>
/// The demonstration bone-age "model": NOT trained and NOT for clinical use. Its output is a known
/// function of its input, <c>months = A · mean(image) + B · sex + C</c> (sex 1 male, 0 female),
/// so end-to-end tests can check every number against the same computation in C#. Built as ONNX
/// (ReduceMean, Reshape, Mul, Add) with the project's own builder.
/// </summary>
public static class BoneAgeDemoModel
{
    /// <summary>Model id in its card.</summary>
    public const string Id = "boneage-demo";
    /// <summary>Input side in pixels (square, one grey channel).</summary>
    public const int Size = 128;
    /// <summary>Months per unit of mean input intensity.</summary>
    public const float A = 240f;
    /// <summary>Months added for male sex.</summary>
    public const float B = 6f;
    /// <summary>Constant months.</summary>
    public const float C = 12f;
    /// <summary>Image input name.</summary>
    public const string ImageInput = "image";
    /// <summary>Sex input name.</summary>
    public const string SexInput = "sex";
    /// <summary>Output name.</summary>
    public const string Output = "bone_age_months";

    /// <summary>The function the model computes, in C#: the reference for tests.</summary>
    public static double Expected(ReadOnlySpan<float> input, double sex)
    {
        double sum = 0;
        foreach (var v in input) sum += v;
        return A * (sum / input.Length) + B * sex + C;
    }

    /// <summary>The ONNX bytes (deterministic: the same bytes on every build).</summary>
    public static byte[] Build() =>
        new OnnxModelBuilder("vigil_boneage_demo")
            .Input(ImageInput, OnnxDataType.Float, "N", 1, Size, Size)
            .Input(SexInput, OnnxDataType.Float, "N", 1)
            .Initializer("a", [1], [A])
            .Initializer("b", [1], [B])
            .Initializer("c", [1], [C])
            .Initializer("shape", [2], [-1L, 1L])
            .Node("ReduceMean", [ImageInput], ["mean4"], OnnxAttribute.Ints("axes", 1, 2, 3), OnnxAttribute.Int("keepdims", 1))
            .Node("Reshape", ["mean4", "shape"], ["mean"])
            .Node("Mul", ["mean", "a"], ["am"])
            .Node("Mul", [SexInput, "b"], ["bs"])
            .Node("Add", ["am", "bs"], ["ambs"])
            .Node("Add", ["ambs", "c"], [Output])
            .Output(Output, OnnxDataType.Float, "N", 1)
            .Build();
}
