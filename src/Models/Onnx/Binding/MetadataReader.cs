using Vigil.Models.Tensors;
using Ort = Microsoft.ML.OnnxRuntime;

namespace Vigil.Models.Onnx.Binding;

/// <summary>Reads the names, element types and declared shapes of a session's inputs and outputs.</summary>
internal static class MetadataReader
{
    public static OnnxTensorInfo[] Inputs(Ort.InferenceSession session) => Read(session.InputNames, session.InputMetadata);

    public static OnnxTensorInfo[] Outputs(Ort.InferenceSession session) => Read(session.OutputNames, session.OutputMetadata);

    private static OnnxTensorInfo[] Read(IReadOnlyList<string> names, IReadOnlyDictionary<string, Ort.NodeMetadata> metadata)
    {
        var result = new OnnxTensorInfo[names.Count];
        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i];
            var m = metadata[name];
            if (m.OnnxValueType != Ort.OnnxValueType.ONNX_TYPE_TENSOR)
            {
                result[i] = new OnnxTensorInfo(name, TensorElementType.Undefined, [], isTensor: false);
                continue;
            }
            var sizes = m.Dimensions;
            var symbols = m.SymbolicDimensions;
            var dims = new OnnxDimension[sizes.Length];
            for (var k = 0; k < dims.Length; k++)
            {
                var symbol = symbols is not null && k < symbols.Length && !string.IsNullOrEmpty(symbols[k]) ? symbols[k] : null;
                dims[k] = new OnnxDimension(sizes[k] >= 0 ? sizes[k] : -1, sizes[k] >= 0 ? null : symbol);
            }
            // ORT's element type codes are ONNX's TensorProto codes, as are Vigil's.
            result[i] = new OnnxTensorInfo(name, (TensorElementType)(int)m.ElementDataType, dims);
        }
        return result;
    }
}
