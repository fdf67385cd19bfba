using System.Text;
using Vigil.Models.Catalog;
using Vigil.Models.Onnx.Protobuf;

namespace Vigil.Video.Backbone;

/// <summary>
/// Exposes a vision transformer's attention probabilities: finds the attention Softmax nodes of an
/// ONNX model and adds their outputs to the graph's outputs, so a user's plain export (DINOv2,
/// CLIP, DeiT, VitTrack, ...) gives its attention maps without re-exporting. The edit appends
/// <c>GraphProto.output</c> entries and copies every other byte of the model unchanged.
/// </summary>
public static class AttentionTap
{
    // ONNX field numbers (onnx.proto): ModelProto.graph, GraphProto.node/output, NodeProto.output/name/op_type,
    // ValueInfoProto.name/type, TypeProto.tensor_type, TypeProto.Tensor.elem_type.
    private const int ModelGraph = 7;
    private const int GraphNode = 1;
    private const int GraphOutput = 12;
    private const int NodeInput = 1;
    private const int NodeOutput = 2;
    private const int NodeName = 3;
    private const int NodeOpType = 4;
    private const int ValueInfoName = 1;
    private const int ValueInfoType = 2;
    private const int TypeTensor = 1;
    private const int TensorElemType = 1;
    private const int ElemFloat = 1;

    /// <summary>
    /// Adds the outputs of the attention Softmax nodes to the graph's outputs. With
    /// <paramref name="blocks"/> given, only Softmax nodes whose name or output contains one of the
    /// entries (the attention blocks a model card names) are tapped; otherwise every Softmax node is.
    /// </summary>
    /// <param name="model">The ONNX model's bytes.</param>
    /// <param name="blocks">Name fragments of the attention blocks to tap, or null for every Softmax.</param>
    /// <param name="exposeLogits">Also add each tapped Softmax's input (the attention logits), to check the maps against a Softmax computed by hand.</param>
    /// <returns>The edited model, the tapped output names in graph order, and (when asked) the Softmax inputs in the same order.</returns>
    /// <exception cref="InvalidDataException">The bytes are not an ONNX model, or it has no matching Softmax.</exception>
    public static (byte[] Model, IReadOnlyList<string> Outputs, IReadOnlyList<string> Logits) Edit(ReadOnlyMemory<byte> model, IReadOnlyList<string>? blocks = null, bool exposeLogits = false)
    {
        var (modelFields, graphField, graph, graphFields, existing) = ReadGraph(model);

        var taps = new List<string>();
        var logits = new List<string>();
        foreach (var f in graphFields.Where(f => f.Number == GraphNode && f.WireType == 2))
        {
            var node = f.Payload(graph);
            if (ProtoReader.Strings(node, NodeOpType).FirstOrDefault() != "Softmax") continue;
            var name = ProtoReader.Strings(node, NodeName).FirstOrDefault() ?? "";
            var output = ProtoReader.Strings(node, NodeOutput).FirstOrDefault();
            if (output is null) continue;
            if (blocks is { Count: > 0 } && !blocks.Any(b => name.Contains(b, StringComparison.Ordinal) || output.Contains(b, StringComparison.Ordinal))) continue;
            taps.Add(output);
            logits.Add(ProtoReader.Strings(node, NodeInput).FirstOrDefault() ?? "");
        }
        if (taps.Count == 0)
            throw new InvalidDataException(blocks is { Count: > 0 }
                ? $"no Softmax node matches the attention blocks {string.Join(", ", blocks)}"
                : "the model has no Softmax node (not a transformer with attention?)");

        var edited = AppendOutputs(model, modelFields, graphField, graph, (exposeLogits ? taps.Concat(logits) : taps).Where(t => !existing.Contains(t)));
        return (edited, taps, exposeLogits ? logits : []);
    }

    // The model's fields, its graph field and payload, the graph's fields, and the names already output.
    private static (List<ProtoField> ModelFields, ProtoField GraphField, ReadOnlyMemory<byte> Graph, List<ProtoField> GraphFields, HashSet<string> Outputs)
        ReadGraph(ReadOnlyMemory<byte> model)
    {
        var modelFields = ProtoReader.Fields(model.Span);
        var graphField = modelFields.LastOrDefault(f => f.Number == ModelGraph && f.WireType == 2);
        if (graphField == default) throw new InvalidDataException("not an ONNX model: no graph");
        var graph = graphField.Payload(model);
        var graphFields = ProtoReader.Fields(graph.Span);
        var outputs = new HashSet<string>();
        foreach (var f in graphFields.Where(f => f.Number == GraphOutput))
            outputs.UnionWith(ProtoReader.Strings(f.Payload(graph), ValueInfoName));
        return (modelFields, graphField, graph, graphFields, outputs);
    }

    /// <summary>
    /// Adds intermediate values to the graph's outputs by the same edit (e.g. a CNN's spatial feature
    /// map, whose energy stands in for attention): every name must be the output of a node.
    /// </summary>
    /// <param name="model">The ONNX model's bytes.</param>
    /// <param name="values">Names of node outputs to expose.</param>
    /// <exception cref="InvalidDataException">The bytes are not an ONNX model, or no node produces one of the names.</exception>
    public static byte[] ExposeValues(ReadOnlyMemory<byte> model, IReadOnlyList<string> values)
    {
        if (values.Count == 0) throw new ArgumentException("no values to expose", nameof(values));
        var (modelFields, graphField, graph, graphFields, existing) = ReadGraph(model);
        var produced = new HashSet<string>();
        foreach (var f in graphFields.Where(f => f.Number == GraphNode && f.WireType == 2))
            produced.UnionWith(ProtoReader.Strings(f.Payload(graph), NodeOutput));
        var missing = values.Where(v => !produced.Contains(v)).ToList();
        if (missing.Count > 0) throw new InvalidDataException($"no node produces {string.Join(", ", missing)}");
        return AppendOutputs(model, modelFields, graphField, graph, values.Where(v => !existing.Contains(v)));
    }

    /// <summary>
    /// The model at <paramref name="modelPath"/> with <paramref name="values"/> exposed as outputs, from
    /// <paramref name="cacheDirectory"/> when an edit of the same bytes (by sha256) is there, else edited and stored there.
    /// </summary>
    public static TappedModel LoadOrExpose(string modelPath, string cacheDirectory, IReadOnlyList<string> values) =>
        Cached(modelPath, cacheDirectory, "values-" + Key(values), bytes => (ExposeValues(bytes, values), values));

    private static byte[] AppendOutputs(ReadOnlyMemory<byte> model, IReadOnlyList<ProtoField> modelFields, ProtoField graphField, ReadOnlyMemory<byte> graph,
        IEnumerable<string> outputs)
    {
        using var newGraph = new MemoryStream(graph.Length + 1024);
        newGraph.Write(graph.Span);
        foreach (var output in outputs)
            ProtoOutput.WriteBytes(newGraph, GraphOutput, FloatValueInfo(output));

        using var result = new MemoryStream(model.Length + (int)newGraph.Length - graph.Length + 16);
        foreach (var f in modelFields)
        {
            if (f == graphField) ProtoOutput.WriteBytes(result, ModelGraph, newGraph.GetBuffer().AsSpan(0, (int)newGraph.Length));
            else result.Write(model.Span[f.Start..f.End]);
        }
        return result.ToArray();
    }

    /// <summary>
    /// The tapped model for the file at <paramref name="modelPath"/>, from <paramref name="cacheDirectory"/>
    /// when an edit of the same bytes (by sha256) is there, else edited and stored there. With
    /// <paramref name="values"/> (e.g. a hidden-state tensor) those node outputs are exposed too
    /// (part of the cache key; <see cref="TappedModel.AttentionOutputs"/> still lists the attention only).
    /// </summary>
    public static TappedModel LoadOrEdit(string modelPath, string cacheDirectory, IReadOnlyList<string>? blocks = null, IReadOnlyList<string>? values = null) =>
        Cached(modelPath, cacheDirectory, (blocks is { Count: > 0 } ? Key(blocks) : "all") + (values is { Count: > 0 } ? "-values-" + Key(values) : ""), bytes =>
        {
            var (edited, taps, _) = Edit(bytes, blocks);
            return (values is { Count: > 0 } ? ExposeValues(edited, values) : edited, taps);
        });

    private static string Key(IReadOnlyList<string> names) => ModelFileHash.Sha256Of(Encoding.UTF8.GetBytes(string.Join("\n", names)))[..8];

    private static TappedModel Cached(string modelPath, string cacheDirectory, string key, Func<byte[], (byte[] Model, IReadOnlyList<string> Outputs)> edit)
    {
        if (!File.Exists(modelPath)) throw new FileNotFoundException($"{Path.GetFileName(modelPath)}: backbone model not found ({modelPath})", modelPath);
        var bytes = File.ReadAllBytes(modelPath);
        var sha = ModelFileHash.Sha256Of(bytes);
        var cached = Path.Combine(cacheDirectory, $"{sha}-{key}.attention.onnx");
        var names = cached + ".outputs";
        if (File.Exists(cached) && File.Exists(names))
            return new TappedModel(modelPath, sha, cached, File.ReadAllLines(names), FromCache: true);
        byte[] edited;
        IReadOnlyList<string> taps;
        try
        {
            (edited, taps) = edit(bytes);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{Path.GetFileName(modelPath)}: {e.Message}", e);
        }
        Directory.CreateDirectory(cacheDirectory);
        // Write beside and rename, so a reader never sees half a model.
        var temp = cached + $".{Environment.ProcessId}.tmp";
        File.WriteAllBytes(temp, edited);
        File.WriteAllLines(names + $".{Environment.ProcessId}.tmp", taps);
        File.Move(names + $".{Environment.ProcessId}.tmp", names, overwrite: true);
        File.Move(temp, cached, overwrite: true);
        return new TappedModel(modelPath, sha, cached, taps, FromCache: false);
    }

    private static byte[] FloatValueInfo(string name)
    {
        using var tensor = new MemoryStream();
        ProtoOutput.WriteVarintField(tensor, TensorElemType, ElemFloat);
        using var type = new MemoryStream();
        ProtoOutput.WriteBytes(type, TypeTensor, tensor.ToArray());
        using var info = new MemoryStream();
        ProtoOutput.WriteBytes(info, ValueInfoName, Encoding.UTF8.GetBytes(name));
        ProtoOutput.WriteBytes(info, ValueInfoType, type.ToArray());
        return info.ToArray();
    }
}
