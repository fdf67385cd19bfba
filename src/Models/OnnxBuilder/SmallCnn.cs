namespace Vigil.Models.OnnxBuilder;

/// <summary>
/// A small image classifier with fixed pseudo-random weights, for tests, demos and benchmarks:
/// Conv(3→8, 3×3, pad 1) → Relu → MaxPool(2×2) → Conv(8→16, 3×3, pad 1) → Relu →
/// GlobalAveragePool → Flatten → Gemm(16→4) → Softmax. Input <c>image</c> [N,3,32,32] float32
/// with a dynamic batch <c>N</c>; output <c>probabilities</c> [N,4]. Its weights are public so a
/// test can recompute the same maths independently.
/// </summary>
public sealed class SmallCnn
{
    /// <summary>Input image side in pixels.</summary>
    public const int Size = 32;
    /// <summary>Input channels.</summary>
    public const int InputChannels = 3;
    /// <summary>Channels after the first convolution.</summary>
    public const int Channels1 = 8;
    /// <summary>Channels after the second convolution.</summary>
    public const int Channels2 = 16;
    /// <summary>Number of output classes.</summary>
    public const int Classes = 4;

    /// <summary>First convolution weights [8,3,3,3].</summary>
    public float[] Conv1Weight { get; }
    /// <summary>First convolution bias [8].</summary>
    public float[] Conv1Bias { get; }
    /// <summary>Second convolution weights [16,8,3,3].</summary>
    public float[] Conv2Weight { get; }
    /// <summary>Second convolution bias [16].</summary>
    public float[] Conv2Bias { get; }
    /// <summary>Classifier weights [4,16] (Gemm with transB=1).</summary>
    public float[] FcWeight { get; }
    /// <summary>Classifier bias [4].</summary>
    public float[] FcBias { get; }

    /// <summary>Creates the network with weights drawn from <paramref name="seed"/>.</summary>
    public SmallCnn(ulong seed = 20261122)
    {
        var w = new DeterministicWeights(seed);
        Conv1Weight = w.Array(Channels1 * InputChannels * 9, 0.4f);
        Conv1Bias = w.Array(Channels1, 0.1f);
        Conv2Weight = w.Array(Channels2 * Channels1 * 9, 0.2f);
        Conv2Bias = w.Array(Channels2, 0.1f);
        FcWeight = w.Array(Classes * Channels2, 1.0f);
        FcBias = w.Array(Classes, 0.1f);
    }

    /// <summary>The model as ONNX protobuf bytes (opset 17).</summary>
    public byte[] ToOnnx() =>
        new OnnxModelBuilder("vigil_small_cnn")
            .Input("image", OnnxDataType.Float, "N", InputChannels, Size, Size)
            .Initializer("conv1.w", [Channels1, InputChannels, 3, 3], Conv1Weight)
            .Initializer("conv1.b", [Channels1], Conv1Bias)
            .Initializer("conv2.w", [Channels2, Channels1, 3, 3], Conv2Weight)
            .Initializer("conv2.b", [Channels2], Conv2Bias)
            .Initializer("fc.w", [Classes, Channels2], FcWeight)
            .Initializer("fc.b", [Classes], FcBias)
            .Node("Conv", ["image", "conv1.w", "conv1.b"], ["c1"],
                OnnxAttribute.Ints("kernel_shape", 3, 3), OnnxAttribute.Ints("pads", 1, 1, 1, 1))
            .Node("Relu", ["c1"], ["r1"])
            .Node("MaxPool", ["r1"], ["p1"],
                OnnxAttribute.Ints("kernel_shape", 2, 2), OnnxAttribute.Ints("strides", 2, 2))
            .Node("Conv", ["p1", "conv2.w", "conv2.b"], ["c2"],
                OnnxAttribute.Ints("kernel_shape", 3, 3), OnnxAttribute.Ints("pads", 1, 1, 1, 1))
            .Node("Relu", ["c2"], ["r2"])
            .Node("GlobalAveragePool", ["r2"], ["g"])
            .Node("Flatten", ["g"], ["f"], OnnxAttribute.Int("axis", 1))
            .Node("Gemm", ["f", "fc.w", "fc.b"], ["logits"], OnnxAttribute.Int("transB", 1))
            .Node("Softmax", ["logits"], ["probabilities"], OnnxAttribute.Int("axis", 1))
            .Output("probabilities", OnnxDataType.Float, "N", Classes)
            .Build();
}
