using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Vigil.Models.Training.OnnxImport;

/// <summary>
/// Runs a convolutional ONNX graph (Conv, BatchNormalization, Relu, Add, MaxPool, AveragePool) with
/// TorchSharp at any input size, with its weights frozen: the backbone of transfer learning. Batch
/// normalisation is folded into the preceding convolution at load. Any intermediate value can be
/// asked for, so a caller can take a feature map from the middle of the network.
/// </summary>
public sealed class OnnxTorchModule : IDisposable
{
    private readonly List<Step> _steps = [];
    private readonly List<Tensor> _owned = [];

    private sealed record Step(string Op, string[] Inputs, string Output, Tensor? Weight, Tensor? Bias,
        long[] Kernel, long[] Strides, long[] Pads, long Group);

    /// <summary>Builds the module from <paramref name="graph"/>.</summary>
    /// <exception cref="NotSupportedException">The graph uses an operator outside the supported set.</exception>
    public OnnxTorchModule(OnnxGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        TorchSharpNative.EnsureLoaded();
        var nodes = graph.Nodes;
        var consumers = nodes.SelectMany(n => n.Inputs).GroupBy(s => s, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        using var noGrad = no_grad();
        for (var i = 0; i < nodes.Count; i++)
        {
            var n = nodes[i];
            long[] Ints(string name, params long[] fallback) => n.Ints.TryGetValue(name, out var v) && v.Length > 0 ? v : fallback;
            Tensor Init(string name) => tensor(graph.Initializers[name].Values, graph.Initializers[name].Shape);
            switch (n.OpType)
            {
                case "Conv":
                {
                    var w = Init(n.Inputs[1]);
                    var b = n.Inputs.Count > 2 ? Init(n.Inputs[2]) : zeros(w.shape[0]);
                    var output = n.Outputs[0];
                    // Fold a following BatchNormalization that is this convolution's only consumer.
                    if (i + 1 < nodes.Count && nodes[i + 1] is { OpType: "BatchNormalization" } bn && bn.Inputs[0] == output && consumers.GetValueOrDefault(output) == 1)
                    {
                        var eps = bn.Floats.TryGetValue("epsilon", out var e) ? e : 1e-5f;
                        var scale = Init(bn.Inputs[1]) / (Init(bn.Inputs[4]) + eps).sqrt();
                        w = w * scale.reshape(-1, 1, 1, 1);
                        b = (b - Init(bn.Inputs[3])) * scale + Init(bn.Inputs[2]);
                        output = bn.Outputs[0];
                        i++;
                    }
                    _owned.Add(w); _owned.Add(b);
                    _steps.Add(new Step("Conv", [n.Inputs[0]], output, w, b, Ints("kernel_shape"), Ints("strides", 1, 1), Ints("pads", 0, 0, 0, 0), Ints("group", 1)[0]));
                    break;
                }
                case "BatchNormalization":
                {
                    var eps = n.Floats.TryGetValue("epsilon", out var e) ? e : 1e-5f;
                    var scale = Init(n.Inputs[1]) / (Init(n.Inputs[4]) + eps).sqrt();
                    var shift = Init(n.Inputs[2]) - Init(n.Inputs[3]) * scale;
                    var s4 = scale.reshape(1, -1, 1, 1); var t4 = shift.reshape(1, -1, 1, 1);
                    _owned.Add(s4); _owned.Add(t4);
                    _steps.Add(new Step("Affine", [n.Inputs[0]], n.Outputs[0], s4, t4, [], [], [], 1));
                    break;
                }
                case "Relu" or "Add":
                    _steps.Add(new Step(n.OpType, [.. n.Inputs], n.Outputs[0], null, null, [], [], [], 1));
                    break;
                case "MaxPool" or "AveragePool":
                    _steps.Add(new Step(n.OpType, [n.Inputs[0]], n.Outputs[0], null, null, Ints("kernel_shape"), Ints("strides", 1, 1), Ints("pads", 0, 0, 0, 0), 1));
                    break;
                default:
                    throw new NotSupportedException($"ONNX operator {n.OpType} (node output '{n.Outputs.FirstOrDefault()}') is not supported by OnnxTorchModule.");
            }
        }
    }

    /// <summary>Names of the values the graph computes, in order.</summary>
    public IReadOnlyList<string> ValueNames => _steps.Select(s => s.Output).ToList();

    /// <summary>
    /// Runs the graph on <paramref name="input"/> (bound to the first node's input) up to the last of
    /// <paramref name="outputs"/> and returns those values, in the order asked. Intermediates are disposed.
    /// </summary>
    public Tensor[] Run(Tensor input, params string[] outputs)
    {
        ArgumentNullException.ThrowIfNull(input);
        var wanted = new HashSet<string>(outputs, StringComparer.Ordinal);
        var last = _steps.FindLastIndex(s => wanted.Contains(s.Output));
        if (last < 0 || outputs.Any(o => _steps.All(s => s.Output != o)))
            throw new ArgumentException($"unknown output(s) {string.Join(", ", outputs.Where(o => _steps.All(s => s.Output != o)))}", nameof(outputs));
        // Last use of each value, so intermediates are freed as soon as possible.
        var lastUse = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i <= last; i++) foreach (var x in _steps[i].Inputs) lastUse[x] = i;
        var values = new Dictionary<string, Tensor>(StringComparer.Ordinal) { [_steps.Count > 0 ? FirstInput() : ""] = input };
        for (var i = 0; i <= last; i++)
        {
            var s = _steps[i];
            var x = values[s.Inputs[0]];
            Tensor y = s.Op switch
            {
                "Conv" => Conv(x, s),
                "Affine" => x * s.Weight! + s.Bias!,
                "Relu" => F.relu(x),
                "Add" => x + values[s.Inputs[1]],
                "MaxPool" => F.max_pool2d(Pad(x, s.Pads, double.NegativeInfinity), s.Kernel, s.Strides),
                "AveragePool" => F.avg_pool2d(Pad(x, s.Pads, 0), s.Kernel, s.Strides),
                _ => throw new InvalidOperationException(s.Op),
            };
            values[s.Output] = y;
            foreach (var name in s.Inputs.Distinct())
                if (lastUse[name] == i && !wanted.Contains(name) && !ReferenceEquals(values[name], input)) { values[name].Dispose(); values.Remove(name); }
        }
        var result = outputs.Select(o => values[o]).ToArray();
        foreach (var (name, t) in values) if (!wanted.Contains(name) && !ReferenceEquals(t, input)) t.Dispose();
        return result;
    }

    private string FirstInput() => _steps[0].Inputs[0];

    private static Tensor Conv(Tensor x, Step s)
    {
        var p = s.Pads;
        if (p[0] == p[2] && p[1] == p[3])
            return F.conv2d(x, s.Weight!, s.Bias, strides: s.Strides, padding: [p[0], p[1]], groups: s.Group);
        using var padded = Pad(x, p, 0);
        return F.conv2d(padded, s.Weight!, s.Bias, strides: s.Strides, groups: s.Group);
    }

    // ONNX pads are [top, left, bottom, right]; torch's pad takes (left, right, top, bottom).
    private static Tensor Pad(Tensor x, long[] p, double value) =>
        p.All(v => v == 0) ? x.alias() : F.pad(x, [p[1], p[3], p[0], p[2]], PaddingModes.Constant, value);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var t in _owned) t.Dispose();
        _owned.Clear();
    }
}
