using Vigil.Infrared.Faces;
using Vigil.Models.OnnxBuilder;
using Vigil.Models.Training.OnnxImport;
using static TorchSharp.torch;

namespace Vigil.Infrared.Training.Faces;

/// <summary>
/// Writes a trained <see cref="ThermalFaceModule"/> as ONNX (opset 17) for serving by ONNX Runtime:
/// each batch norm folded into its convolution (w·γ/√(σ²+ε), β − μ·γ/√(σ²+ε)), then Conv/Relu
/// nodes; input <c>image</c> [N,3,H,W], output <c>map</c> [N,5,H/4,W/4]. Height and width are
/// symbolic: the network is fully convolutional, so the detector can also run an upscaled pass.
/// </summary>
public static class ThermalFaceOnnxExport
{
    /// <summary>The ONNX bytes of <paramref name="module"/> (trained at <paramref name="width"/> × <paramref name="height"/>; the file accepts any size divisible by 4).</summary>
    public static byte[] ToOnnx(ThermalFaceModule module, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(module);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var convs = new List<(float[] W, float[] B)>();
        for (var i = 0; i < module.Convolutions.Count; i++)
        {
            var bn = module.Norms[i];
            var scale = bn.weight! / (bn.running_var! + ThermalFaceModule.Epsilon).sqrt();
            var w = module.Convolutions[i].weight! * scale.reshape(-1, 1, 1, 1);
            var bias = bn.bias! - bn.running_mean! * scale;
            convs.Add((Floats(w), Floats(bias)));
        }
        return Write(convs, Floats(module.Head.weight!), Floats(module.Head.bias!));
    }

    /// <summary>
    /// Re-writes an exported detector (<paramref name="graph"/>, read from an earlier export, e.g. one
    /// with a fixed input size) with this export's layout, weights unchanged.
    /// </summary>
    /// <exception cref="InvalidDataException">The graph lacks a weight this network needs, or its shape differs.</exception>
    public static byte[] ToOnnx(OnnxGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        float[] Weight(string name, long count) =>
            graph.Initializers.TryGetValue(name, out var t) && t.Values.Length == count ? t.Values
                : throw new InvalidDataException($"the graph has no initializer {name} of {count} values; not a thermal face detector export.");
        var convs = new List<(float[] W, float[] B)>();
        for (var i = 0; i < ThermalFaceModule.Layers.Count; i++)
        {
            var (cin, cout, _, _) = ThermalFaceModule.Layers[i];
            convs.Add((Weight($"conv{i}.w", cout * cin * 9), Weight($"conv{i}.b", cout)));
        }
        var last = ThermalFaceModule.Layers[^1].Out;
        return Write(convs, Weight("head.w", ThermalFaceNetwork.Channels * last), Weight("head.b", ThermalFaceNetwork.Channels));
    }

    private static byte[] Write(IReadOnlyList<(float[] W, float[] B)> convs, float[] headW, float[] headB)
    {
        var b = new OnnxModelBuilder("vigil_ir_face_centernet")
            .Input("image", OnnxDataType.Float, "N", 3, "H", "W")
            .Output("map", OnnxDataType.Float, "N", ThermalFaceNetwork.Channels, "H/4", "W/4");
        var x = "image";
        for (var i = 0; i < convs.Count; i++)
        {
            var (cin, cout, stride, dilation) = ThermalFaceModule.Layers[i];
            b.Initializer($"conv{i}.w", [cout, cin, 3, 3], convs[i].W)
             .Initializer($"conv{i}.b", [cout], convs[i].B)
             .Node("Conv", [x, $"conv{i}.w", $"conv{i}.b"], [$"c{i}"],
                OnnxAttribute.Ints("kernel_shape", 3, 3), OnnxAttribute.Ints("strides", stride, stride),
                OnnxAttribute.Ints("pads", dilation, dilation, dilation, dilation), OnnxAttribute.Ints("dilations", dilation, dilation))
             .Node("Relu", [$"c{i}"], [$"r{i}"]);
            x = $"r{i}";
        }
        var last = ThermalFaceModule.Layers[^1].Out;
        return b.Initializer("head.w", [ThermalFaceNetwork.Channels, last, 1, 1], headW)
            .Initializer("head.b", [ThermalFaceNetwork.Channels], headB)
            .Node("Conv", [x, "head.w", "head.b"], ["map"], OnnxAttribute.Ints("kernel_shape", 1, 1))
            .Build();
    }

    private static float[] Floats(Tensor t) => t.contiguous().data<float>().ToArray();
}
