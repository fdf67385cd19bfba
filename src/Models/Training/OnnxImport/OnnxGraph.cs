using System.Text;
using Vigil.Models.Onnx.Protobuf;

namespace Vigil.Models.Training.OnnxImport;

/// <summary>
/// The nodes and float initializers of an ONNX model, read straight from its protobuf bytes (only
/// the fields a convolutional graph needs). Used to start TorchSharp training from published
/// weights; see <see cref="OnnxTorchModule"/>.
/// </summary>
public sealed class OnnxGraph
{
    /// <summary>Nodes in graph order.</summary>
    public IReadOnlyList<OnnxNode> Nodes { get; }
    /// <summary>Float initializers by name: shape and values.</summary>
    public IReadOnlyDictionary<string, (long[] Shape, float[] Values)> Initializers { get; }

    private OnnxGraph(List<OnnxNode> nodes, Dictionary<string, (long[], float[])> initializers)
    {
        Nodes = nodes;
        Initializers = initializers;
    }

    /// <summary>Reads <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not an ONNX model this reader understands; the message names it.</exception>
    public static OnnxGraph Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        try
        {
            var nodes = new List<OnnxNode>();
            var inits = new Dictionary<string, (long[], float[])>(StringComparer.Ordinal);
            var graph = Fields(bytes).FirstOrDefault(f => f.Number == 7).Bytes
                ?? throw new InvalidDataException($"{path}: no graph in this file (not an ONNX model).");
            foreach (var f in Fields(graph))
            {
                if (f.Number == 1) nodes.Add(ReadNode(f.Bytes!));
                else if (f.Number == 5) { var (name, shape, values) = ReadTensor(f.Bytes!, path); inits[name] = (shape, values); }
            }
            if (nodes.Count == 0) throw new InvalidDataException($"{path}: the graph has no nodes.");
            return new OnnxGraph(nodes, inits);
        }
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentOutOfRangeException or OverflowException)
        {
            throw new InvalidDataException($"{path}: truncated or malformed ONNX protobuf.", e);
        }
    }

    private static OnnxNode ReadNode(byte[] b)
    {
        var inputs = new List<string>();
        var outputs = new List<string>();
        var op = "";
        var ints = new Dictionary<string, long[]>(StringComparer.Ordinal);
        var floats = new Dictionary<string, float>(StringComparer.Ordinal);
        foreach (var f in Fields(b))
        {
            switch (f.Number)
            {
                case 1: inputs.Add(Encoding.UTF8.GetString(f.Bytes!)); break;
                case 2: outputs.Add(Encoding.UTF8.GetString(f.Bytes!)); break;
                case 4: op = Encoding.UTF8.GetString(f.Bytes!); break;
                case 5:
                    string name = "";
                    var list = new List<long>();
                    float? single = null;
                    foreach (var a in Fields(f.Bytes!))
                    {
                        if (a.Number == 1) name = Encoding.UTF8.GetString(a.Bytes!);
                        else if (a.Number == 2) single = BitConverter.ToSingle(a.Bytes!);
                        else if (a.Number == 3) list.Add(a.Value);
                        else if (a.Number == 8 && a.Bytes is null) list.Add(a.Value);
                        else if (a.Number == 8) list.AddRange(PackedVarints(a.Bytes!));
                    }
                    if (single is { } s) floats[name] = s;
                    else ints[name] = [.. list];
                    break;
            }
        }
        return new OnnxNode(op, inputs, outputs, ints, floats);
    }

    private static (string Name, long[] Shape, float[] Values) ReadTensor(byte[] b, string path)
    {
        var dims = new List<long>();
        string name = "";
        long type = 1;
        byte[]? raw = null, packed = null;
        var loose = new List<float>();
        foreach (var f in Fields(b))
        {
            switch (f.Number)
            {
                case 1: if (f.Bytes is null) dims.Add(f.Value); else dims.AddRange(PackedVarints(f.Bytes)); break;
                case 2: type = f.Value; break;
                case 4: if (f.Bytes is { Length: not 4 } p) packed = p; else loose.Add(BitConverter.ToSingle(f.Bytes!)); break;
                case 8: name = Encoding.UTF8.GetString(f.Bytes!); break;
                case 9: raw = f.Bytes; break;
            }
        }
        if (type != 1) throw new InvalidDataException($"{path}: initializer '{name}' has data type {type}; only float32 (1) is supported.");
        var data = raw ?? packed;
        var values = data is not null ? new float[data.Length / 4] : [.. loose];
        if (data is not null) Buffer.BlockCopy(data, 0, values, 0, values.Length * 4);
        var count = dims.Aggregate(1L, (a, d) => a * d);
        if (count != values.Length) throw new InvalidDataException($"{path}: initializer '{name}' holds {values.Length} values for shape [{string.Join(",", dims)}].");
        return (name, [.. dims], values);
    }

    private readonly record struct Field(int Number, long Value, byte[]? Bytes);

    // The shared schema-less reader, with varints decoded and other payloads copied out.
    private static IEnumerable<Field> Fields(byte[] b)
    {
        foreach (var f in ProtoReader.Fields(b))
        {
            if (f.WireType == 0)
            {
                var at = f.PayloadStart;
                yield return new Field(f.Number, unchecked((long)ProtoReader.ReadVarint(b, ref at)), null);
            }
            else yield return new Field(f.Number, 0, f.Payload(b).ToArray());
        }
    }

    private static List<long> PackedVarints(byte[] b)
    {
        var list = new List<long>();
        var i = 0;
        while (i < b.Length) list.Add(unchecked((long)ProtoReader.ReadVarint(b, ref i)));
        return list;
    }
}

/// <summary>One ONNX node: operator, input and output names, integer-list and float attributes.</summary>
/// <param name="OpType">The operator (Conv, Relu, ...).</param>
/// <param name="Inputs">Input value names.</param>
/// <param name="Outputs">Output value names.</param>
/// <param name="Ints">Integer and integer-list attributes.</param>
/// <param name="Floats">Float attributes.</param>
public sealed record OnnxNode(string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs,
    IReadOnlyDictionary<string, long[]> Ints, IReadOnlyDictionary<string, float> Floats);
