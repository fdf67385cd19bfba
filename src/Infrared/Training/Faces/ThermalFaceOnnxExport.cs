using Vigil.Infrared.Faces;
using Vigil.Models.OnnxBuilder;
using static TorchSharp.torch;

namespace Vigil.Infrared.Training.Faces;

/// <summary>
/// Writes a trained <see cref="ThermalFaceModule"/> as ONNX (opset 17) for serving by ONNX Runtime:
/// each batch norm folded into its convolution (w·γ/√(σ²+ε), β − μ·γ/√(σ²+ε)), then Conv/Relu
/// nodes; input <c>image</c> [N,3,H,W], output <c>map</c> [N,5,H/4,W/4].
/// </summary>
public static class ThermalFaceOnnxExport
{
    /// <summary>The ONNX bytes of <paramref name="module"/> for a <paramref name="width"/> × <paramref name="height"/> input.</summary>
    public static byte[] ToOnnx(ThermalFaceModule module, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(module);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var b = new OnnxModelBuilder("vigil_ir_face_centernet")
            .Input("image", OnnxDataType.Float, "N", 3, height, width)
            .Output("map", OnnxDataType.Float, "N", ThermalFaceNetwork.Channels, height / ThermalFaceNetwork.Stride, width / ThermalFaceNetwork.Stride);
        var x = "image";
        for (var i = 0; i < module.Convolutions.Count; i++)
        {
            var (cin, cout, stride, dilation) = ThermalFaceModule.Layers[i];
            var bn = module.Norms[i];
            var scale = bn.weight! / (bn.running_var! + ThermalFaceModule.Epsilon).sqrt();
            var w = module.Convolutions[i].weight! * scale.reshape(-1, 1, 1, 1);
            var bias = bn.bias! - bn.running_mean! * scale;
            b.Initializer($"conv{i}.w", [cout, cin, 3, 3], Floats(w))
             .Initializer($"conv{i}.b", [cout], Floats(bias))
             .Node("Conv", [x, $"conv{i}.w", $"conv{i}.b"], [$"c{i}"],
                OnnxAttribute.Ints("kernel_shape", 3, 3), OnnxAttribute.Ints("strides", stride, stride),
                OnnxAttribute.Ints("pads", dilation, dilation, dilation, dilation), OnnxAttribute.Ints("dilations", dilation, dilation))
             .Node("Relu", [$"c{i}"], [$"r{i}"]);
            x = $"r{i}";
        }
        var head = module.Head;
        var last = ThermalFaceModule.Layers[^1].Out;
        return b.Initializer("head.w", [ThermalFaceNetwork.Channels, last, 1, 1], Floats(head.weight!))
            .Initializer("head.b", [ThermalFaceNetwork.Channels], Floats(head.bias!))
            .Node("Conv", [x, "head.w", "head.b"], ["map"], OnnxAttribute.Ints("kernel_shape", 1, 1))
            .Build();
    }

    private static float[] Floats(Tensor t) => t.contiguous().data<float>().ToArray();
}
