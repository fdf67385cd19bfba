using System.Text.Json;
using Vigil.Models.Onnx;
using Vigil.Models.Tensors;
using Vigil.Tests.Common;

namespace Vigil.Models.Tests.Onnx;

/// <summary>
/// One ONNX backend node test from ../shared/assets/onnx_node_tests/: model.onnx plus the
/// documented inputs and outputs, read from the folder's _tensors.json (derived from the .pb files).
/// </summary>
internal sealed class NodeTestCase
{
    public static readonly string[] Names =
    [
        "test_argmax_default_axis_example",
        "test_attention_4d",
        "test_attention_4d_with_qk_matmul_softmax",
        "test_attention_4d_with_qk_matmul_softmax_expanded",
        "test_gelu_tanh_2",
        "test_layer_normalization_3d_axis_negative_1_epsilon",
        "test_matmul_4d",
        "test_nonmaxsuppression_suppress_by_IOU",
        "test_resize_downsample_scales_linear",
        "test_resize_downsample_sizes_linear_antialias",
        "test_softmax_axis_2",
    ];

    public required string Name { get; init; }
    public required string ModelPath { get; init; }
    public required List<(string Name, Tensor Tensor)> Inputs { get; init; }
    public required List<(string Name, TensorElementType Type, long[] Dims, double[] Data)> Outputs { get; init; }

    public static NodeTestCase Load(string name)
    {
        var folder = SharedData.Require("assets/onnx_node_tests/" + name);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "_tensors.json")));
        var inputs = new List<(string, Tensor)>();
        var outputs = new List<(string, TensorElementType, long[], double[])>();
        foreach (var entry in doc.RootElement.EnumerateObject().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            var v = entry.Value;
            var tensorName = v.GetProperty("name").GetString()!;
            var dims = v.GetProperty("dims").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            var data = v.GetProperty("data").EnumerateArray().Select(d => d.GetDouble()).ToArray();
            var type = v.GetProperty("dtype").GetString() switch
            {
                "float32" => TensorElementType.Float32,
                "int64" => TensorElementType.Int64,
                var other => throw new NotSupportedException($"{name}: dtype {other}"),
            };
            if (entry.Name.StartsWith("input_", StringComparison.Ordinal))
                inputs.Add((tensorName, MakeTensor(type, dims, data)));
            else
                outputs.Add((tensorName, type, dims, data));
        }
        return new NodeTestCase { Name = name, ModelPath = Path.Combine(folder, "model.onnx"), Inputs = inputs, Outputs = outputs };
    }

    private static Tensor MakeTensor(TensorElementType type, long[] dims, double[] data) => type switch
    {
        TensorElementType.Float32 => DenseTensor<float>.Wrap(data.Select(d => (float)d).ToArray(), dims),
        TensorElementType.Int64 => DenseTensor<long>.Wrap(data.Select(d => (long)d).ToArray(), dims),
        _ => throw new NotSupportedException(type.ToString()),
    };

    public NamedTensor[] NamedInputs(OnnxSession session) =>
        Inputs.Where(i => session.Inputs.Any(s => s.Name == i.Name)).Select(i => new NamedTensor(i.Name, i.Tensor)).ToArray();
}
