using System.Text;
using Vigil.Models.Onnx.Protobuf;
using Vigil.Models.OnnxBuilder;

namespace Vigil.Models.Onnx;

/// <summary>
/// Finds and removes graph inputs that are also initializers (weights an exporter left overridable).
/// ONNX treats such an input as a default a caller may replace, so ONNX Runtime keeps it a variable:
/// no constant folding, no Conv+BatchNorm fusion, no prepacked Conv weights. Removing the input
/// (the initializer stays) turns the weight into a constant; the model's real inputs and its outputs
/// are unchanged. Every other byte of the model is copied as it was.
/// </summary>
public static class OnnxInitializerInputs
{
    // Field numbers of onnx.proto (ModelProto.graph; GraphProto.initializer, input, sparse_initializer;
    // ValueInfoProto.name; TensorProto.name, data_location; SparseTensorProto.values).
    private const int ModelGraph = 7;
    private const int GraphInitializer = 5;
    private const int GraphInput = 11;
    private const int GraphSparseInitializer = 15;
    private const int ValueInfoName = 1;
    private const int TensorName = 8;
    private const int TensorDataLocation = 14;
    private const int SparseValues = 1;
    private const ulong ExternalDataLocation = 1;

    /// <summary>
    /// The model without its initializer inputs, and how many were removed; the bytes come back
    /// unchanged (the same array) when there is nothing to remove or when the weights live in an
    /// external data file (ORT resolves those relative to the model's path, so such a model keeps
    /// loading from its file).
    /// </summary>
    /// <exception cref="InvalidDataException">The bytes are not a readable protobuf message.</exception>
    public static (byte[] Model, int Removed) Remove(byte[] model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var fields = ProtoReader.Fields(model);
        var graphField = fields.FindIndex(f => f.Number == ModelGraph && f.WireType == 2);
        if (graphField < 0) return (model, 0);
        var graph = fields[graphField].Payload(model);
        var graphFields = ProtoReader.Fields(graph.Span);
        var weights = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in graphFields)
        {
            if (f.WireType != 2) continue;
            if (f.Number == GraphInitializer)
            {
                var tensor = f.Payload(graph);
                if (IsExternal(tensor)) return (model, 0);
                if (Name(tensor, TensorName) is { } name) weights.Add(name);
            }
            else if (f.Number == GraphSparseInitializer)
            {
                var values = ProtoReader.Fields(f.Payload(graph).Span).FirstOrDefault(v => v.Number == SparseValues && v.WireType == 2);
                if (values.End > 0 && Name(values.Payload(f.Payload(graph)), TensorName) is { } name) weights.Add(name);
            }
        }
        if (weights.Count == 0) return (model, 0);

        var kept = new ProtoWriter();
        var removed = 0;
        foreach (var f in graphFields)
        {
            if (f.Number == GraphInput && f.WireType == 2 && Name(f.Payload(graph), ValueInfoName) is { } input && weights.Contains(input))
            {
                removed++;
                continue;
            }
            kept.Raw(graph.Span[f.Start..f.End]);
        }
        if (removed == 0) return (model, 0);

        var result = new ProtoWriter();
        for (var i = 0; i < fields.Count; i++)
        {
            if (i == graphField) result.Bytes(ModelGraph, kept.ToArray());
            else result.Raw(model.AsSpan(fields[i].Start, fields[i].End - fields[i].Start));
        }
        return (result.ToArray(), removed);
    }

    private static string? Name(ReadOnlyMemory<byte> message, int number)
    {
        foreach (var f in ProtoReader.Fields(message.Span))
            if (f.Number == number && f.WireType == 2)
                return Encoding.UTF8.GetString(f.Payload(message).Span);
        return null;
    }

    private static bool IsExternal(ReadOnlyMemory<byte> tensor)
    {
        foreach (var f in ProtoReader.Fields(tensor.Span))
            if (f.Number == TensorDataLocation && f.WireType == 0)
            {
                var pos = f.PayloadStart;
                return ProtoReader.ReadVarint(tensor.Span, ref pos) == ExternalDataLocation;
            }
        return false;
    }
}
