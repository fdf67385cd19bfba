using System.Runtime.InteropServices;

namespace Vigil.Models.OnnxBuilder;

/// <summary>
/// Writes an ONNX <c>ModelProto</c> (protobuf bytes ONNX Runtime can load) from a graph described
/// in C#: typed inputs and outputs with fixed or symbolic dimensions, initializers (weights) and
/// nodes in topological order. Used to make small test and demonstration models, since no model
/// hub is reachable. Field numbers follow onnx/onnx.proto.
/// </summary>
public sealed class OnnxModelBuilder
{
    private readonly string _graphName;
    private readonly List<ValueInfoDef> _inputs = new();
    private readonly List<ValueInfoDef> _outputs = new();
    private readonly List<InitializerDef> _initializers = new();
    private readonly List<NodeDef> _nodes = new();
    // Every value name defined so far (inputs, initializers, node outputs), to catch typos early.
    private readonly HashSet<string> _defined = new(StringComparer.Ordinal);

    /// <summary>Starts a model whose graph is called <paramref name="graphName"/>.</summary>
    public OnnxModelBuilder(string graphName, int opsetVersion = 17)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(graphName);
        ArgumentOutOfRangeException.ThrowIfLessThan(opsetVersion, 1);
        _graphName = graphName;
        OpsetVersion = opsetVersion;
    }

    /// <summary>The default-domain operator set version imported by the model.</summary>
    public int OpsetVersion { get; }

    /// <summary>The IR version written (8 = ONNX 1.10+, readable by ONNX Runtime 1.30).</summary>
    public long IrVersion { get; init; } = 8;

    /// <summary>The producer name recorded in the model.</summary>
    public string ProducerName { get; init; } = "Vigil.OnnxBuilder";

    /// <summary>Declares a graph input.</summary>
    public OnnxModelBuilder Input(string name, OnnxDataType type, params OnnxDim[] shape)
    {
        Define(name);
        _inputs.Add(new ValueInfoDef(name, type, shape.ToArray()));
        return this;
    }

    /// <summary>Declares a graph output; a node must produce it.</summary>
    public OnnxModelBuilder Output(string name, OnnxDataType type, params OnnxDim[] shape)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _outputs.Add(new ValueInfoDef(name, type, shape.ToArray()));
        return this;
    }

    /// <summary>Adds a float32 constant (weights), stored as little-endian raw data.</summary>
    public OnnxModelBuilder Initializer(string name, ReadOnlySpan<long> dims, ReadOnlySpan<float> data)
    {
        CheckCount(name, dims, data.Length);
        Define(name);
        _initializers.Add(new InitializerDef(name, OnnxDataType.Float, dims.ToArray(), MemoryMarshal.AsBytes(data).ToArray(), null));
        return this;
    }

    /// <summary>
    /// Adds a float32 weight that is also declared as a graph input, as older exporters wrote every
    /// weight (an overridable default; see <see cref="Onnx.OnnxInitializerInputs"/>).
    /// </summary>
    public OnnxModelBuilder OverridableInitializer(string name, ReadOnlySpan<long> dims, ReadOnlySpan<float> data)
    {
        Initializer(name, dims, data);
        _inputs.Add(new ValueInfoDef(name, OnnxDataType.Float, dims.ToArray().Select(d => OnnxDim.Fixed(d)).ToArray()));
        return this;
    }

    /// <summary>Adds an int64 constant (e.g. a target shape for Reshape).</summary>
    public OnnxModelBuilder Initializer(string name, ReadOnlySpan<long> dims, ReadOnlySpan<long> data)
    {
        CheckCount(name, dims, data.Length);
        Define(name);
        _initializers.Add(new InitializerDef(name, OnnxDataType.Int64, dims.ToArray(), null, data.ToArray()));
        return this;
    }

    /// <summary>Appends a node of the default ONNX domain; its inputs must already be defined.</summary>
    public OnnxModelBuilder Node(string opType, string[] inputs, string[] outputs, params OnnxAttribute[] attributes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(opType);
        foreach (var input in inputs)
            if (input.Length > 0 && !_defined.Contains(input))
                throw new InvalidOperationException(
                    $"Node {_nodes.Count} ({opType}) in graph '{_graphName}' reads '{input}', which no input, initializer or earlier node defines.");
        foreach (var output in outputs) Define(output);
        _nodes.Add(new NodeDef($"{opType}_{_nodes.Count}", opType, inputs.ToArray(), outputs.ToArray(), attributes.ToArray()));
        return this;
    }

    /// <summary>Serialises the model to ONNX protobuf bytes.</summary>
    public byte[] Build()
    {
        foreach (var o in _outputs)
            if (!_defined.Contains(o.Name))
                throw new InvalidOperationException($"Graph '{_graphName}' declares output '{o.Name}' but nothing produces it.");
        var w = new ProtoWriter();
        // ModelProto: ir_version=1, producer_name=2, graph=7, opset_import=8.
        w.Int64(1, IrVersion);
        w.String(2, ProducerName);
        w.Message(7, WriteGraph);
        w.Message(8, o => { o.String(1, ""); o.Int64(2, OpsetVersion); });
        return w.ToArray();
    }

    // GraphProto: node=1, name=2, initializer=5, input=11, output=12.
    private void WriteGraph(ProtoWriter g)
    {
        foreach (var n in _nodes) g.Message(1, n.WriteTo);
        g.String(2, _graphName);
        foreach (var t in _initializers) g.Message(5, t.WriteTo);
        foreach (var i in _inputs) g.Message(11, i.WriteTo);
        foreach (var o in _outputs) g.Message(12, o.WriteTo);
    }

    private void Define(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!_defined.Add(name))
            throw new InvalidOperationException($"Value '{name}' is defined twice in graph '{_graphName}'.");
    }

    private static void CheckCount(string name, ReadOnlySpan<long> dims, int count)
    {
        long expected = 1;
        foreach (var d in dims) expected *= d;
        if (expected != count)
            throw new ArgumentException($"Initializer '{name}' has shape [{string.Join(",", dims.ToArray())}] ({expected} elements) but {count} values.");
    }

    private sealed record ValueInfoDef(string Name, OnnxDataType Type, OnnxDim[] Shape)
    {
        // ValueInfoProto: name=1, type=2; TypeProto.tensor_type=1; Tensor: elem_type=1, shape=2;
        // TensorShapeProto.dim=1; Dimension: dim_value=1, dim_param=2.
        public void WriteTo(ProtoWriter v)
        {
            v.String(1, Name);
            v.Message(2, t => t.Message(1, tensor =>
            {
                tensor.Int64(1, (int)Type);
                tensor.Message(2, s =>
                {
                    foreach (var d in Shape)
                        s.Message(1, dim => { if (d.Symbol is { } p) dim.String(2, p); else dim.Int64(1, d.Value!.Value); });
                });
            }));
        }
    }

    private sealed record InitializerDef(string Name, OnnxDataType Type, long[] Dims, byte[]? Raw, long[]? Int64s)
    {
        // TensorProto: dims=1, data_type=2, int64_data=7, name=8, raw_data=9.
        public void WriteTo(ProtoWriter t)
        {
            t.PackedInt64s(1, Dims);
            t.Int64(2, (int)Type);
            if (Int64s is not null) t.PackedInt64s(7, Int64s);
            t.String(8, Name);
            if (Raw is not null) t.Bytes(9, Raw);
        }
    }

    private sealed record NodeDef(string Name, string OpType, string[] Inputs, string[] Outputs, OnnxAttribute[] Attributes)
    {
        // NodeProto: input=1, output=2, name=3, op_type=4, attribute=5, domain=7.
        public void WriteTo(ProtoWriter n)
        {
            foreach (var i in Inputs) n.String(1, i);
            foreach (var o in Outputs) n.String(2, o);
            n.String(3, Name);
            n.String(4, OpType);
            foreach (var a in Attributes) n.Message(5, a.WriteTo);
        }
    }
}
