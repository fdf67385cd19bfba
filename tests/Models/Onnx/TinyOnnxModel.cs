using System.Text;

namespace Vigil.Models.Tests.Onnx;

/// <summary>
/// Writes tiny ONNX models as raw protobuf bytes for binding tests (element types the shared
/// node tests lack: float16, int32, uint8, bool). Field numbers are those of onnx.proto:
/// ModelProto{ir_version=1, graph=7, opset_import=8}, GraphProto{node=1, name=2, input=11, output=12},
/// NodeProto{input=1, output=2, name=3, op_type=4, attribute=5}, AttributeProto{name=1, i=3, type=20},
/// ValueInfoProto{name=1, type=2}, TypeProto{tensor_type=1}, TypeProto.Tensor{elem_type=1, shape=2},
/// TensorShapeProto{dim=1}, Dimension{dim_value=1, dim_param=2}, OperatorSetIdProto{domain=1, version=2}.
/// </summary>
internal sealed class TinyOnnxModel
{
    private readonly List<byte[]> _nodes = new();
    private readonly List<byte[]> _inputs = new();
    private readonly List<byte[]> _outputs = new();

    /// <summary>Adds a node; <paramref name="intAttributes"/> become INT attributes.</summary>
    public TinyOnnxModel Node(string opType, string[] inputs, string[] outputs, params (string Name, long Value)[] intAttributes)
    {
        var node = new ProtoWriter();
        foreach (var i in inputs) node.String(1, i);
        foreach (var o in outputs) node.String(2, o);
        node.String(3, opType + "_" + _nodes.Count);
        node.String(4, opType);
        foreach (var (name, value) in intAttributes)
        {
            var attr = new ProtoWriter();
            attr.String(1, name);
            attr.Varint(3, (ulong)value);
            attr.Varint(20, 2); // AttributeType.INT
            node.Message(5, attr);
        }
        _nodes.Add(node.ToArray());
        return this;
    }

    /// <summary>Declares a graph input; a dimension given as a string is symbolic.</summary>
    public TinyOnnxModel Input(string name, int elemType, params object[] dims) { _inputs.Add(ValueInfo(name, elemType, dims)); return this; }

    /// <summary>Declares a graph output.</summary>
    public TinyOnnxModel Output(string name, int elemType, params object[] dims) { _outputs.Add(ValueInfo(name, elemType, dims)); return this; }

    /// <summary>The serialised ModelProto (IR 8, default-domain opset <paramref name="opset"/>).</summary>
    public byte[] Build(int opset = 14)
    {
        var graph = new ProtoWriter();
        foreach (var n in _nodes) graph.Bytes(1, n);
        graph.String(2, "tiny");
        foreach (var i in _inputs) graph.Bytes(11, i);
        foreach (var o in _outputs) graph.Bytes(12, o);
        var opsetId = new ProtoWriter();
        opsetId.String(1, "");
        opsetId.Varint(2, (ulong)opset);
        var model = new ProtoWriter();
        model.Varint(1, 8);
        model.Message(7, graph);
        model.Message(8, opsetId);
        return model.ToArray();
    }

    private static byte[] ValueInfo(string name, int elemType, object[] dims)
    {
        var shape = new ProtoWriter();
        foreach (var d in dims)
        {
            var dim = new ProtoWriter();
            if (d is string symbol) dim.String(2, symbol); else dim.Varint(1, (ulong)Convert.ToInt64(d));
            shape.Message(1, dim);
        }
        var tensorType = new ProtoWriter();
        tensorType.Varint(1, (ulong)elemType);
        tensorType.Message(2, shape);
        var type = new ProtoWriter();
        type.Message(1, tensorType);
        var info = new ProtoWriter();
        info.String(1, name);
        info.Message(2, type);
        return info.ToArray();
    }

    private sealed class ProtoWriter
    {
        private readonly MemoryStream _s = new();

        public void Varint(int field, ulong value) { Tag(field, 0); Raw(value); }

        public void String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

        public void Message(int field, ProtoWriter message) => Bytes(field, message.ToArray());

        public void Bytes(int field, byte[] value)
        {
            Tag(field, 2);
            Raw((ulong)value.Length);
            _s.Write(value);
        }

        public byte[] ToArray() => _s.ToArray();

        private void Tag(int field, int wireType) => Raw((ulong)((field << 3) | wireType));

        private void Raw(ulong v)
        {
            while (v >= 0x80) { _s.WriteByte((byte)(v | 0x80)); v >>= 7; }
            _s.WriteByte((byte)v);
        }
    }
}
