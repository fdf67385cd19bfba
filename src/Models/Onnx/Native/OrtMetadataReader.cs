using System.Runtime.InteropServices;
using Vigil.Models.Tensors;

namespace Vigil.Models.Onnx.Native;

/// <summary>Reads the names, element types and declared shapes of a session's inputs and outputs.</summary>
internal static unsafe class OrtMetadataReader
{
    public static OnnxTensorInfo[] Inputs(OrtSessionHandle session, string modelId) => Read(session, modelId, input: true);

    public static OnnxTensorInfo[] Outputs(OrtSessionHandle session, string modelId) => Read(session, modelId, input: false);

    private static OnnxTensorInfo[] Read(OrtSessionHandle handle, string modelId, bool input)
    {
        var s = handle.DangerousGetHandle();
        var what = input ? "input" : "output";
        nuint count;
        OrtApi.Check(input ? OrtApi.SessionGetInputCount(s, &count) : OrtApi.SessionGetOutputCount(s, &count), modelId, $"counting {what}s");
        var result = new OnnxTensorInfo[(int)count];
        for (nuint i = 0; i < count; i++)
        {
            byte* namePtr;
            OrtApi.Check(input
                ? OrtApi.SessionGetInputName(s, i, OrtEnvironment.DefaultAllocator, &namePtr)
                : OrtApi.SessionGetOutputName(s, i, OrtEnvironment.DefaultAllocator, &namePtr), modelId, $"reading {what} name {i}");
            var name = OrtEnvironment.TakeString(namePtr);
            IntPtr typeInfo;
            OrtApi.Check(input
                ? OrtApi.SessionGetInputTypeInfo(s, i, &typeInfo)
                : OrtApi.SessionGetOutputTypeInfo(s, i, &typeInfo), modelId, $"reading the type of {what} '{name}'");
            try
            {
                result[(int)i] = Describe(name, typeInfo, modelId);
            }
            finally
            {
                OrtApi.ReleaseTypeInfo(typeInfo);
            }
        }
        return result;
    }

    private static OnnxTensorInfo Describe(string name, IntPtr typeInfo, string modelId)
    {
        int onnxType;
        OrtApi.Check(OrtApi.GetOnnxTypeFromTypeInfo(typeInfo, &onnxType), modelId, $"reading the kind of '{name}'");
        if (onnxType != OrtConstants.OnnxTypeTensor)
            return new OnnxTensorInfo(name, TensorElementType.Undefined, [], isTensor: false);
        IntPtr tensorInfo; // owned by typeInfo: not released here
        OrtApi.Check(OrtApi.CastTypeInfoToTensorInfo(typeInfo, &tensorInfo), modelId, $"reading tensor info of '{name}'");
        var (type, dims) = ReadTypeAndShape(tensorInfo, modelId, name, symbolic: true);
        return new OnnxTensorInfo(name, type, dims);
    }

    /// <summary>Element type and dimensions from an <c>OrtTensorTypeAndShapeInfo</c>.</summary>
    public static (TensorElementType Type, OnnxDimension[] Dims) ReadTypeAndShape(IntPtr info, string modelId, string name, bool symbolic)
    {
        int type;
        OrtApi.Check(OrtApi.GetTensorElementType(info, &type), modelId, $"reading the element type of '{name}'");
        nuint rank;
        OrtApi.Check(OrtApi.GetDimensionsCount(info, &rank), modelId, $"reading the rank of '{name}'");
        var sizes = new long[(int)rank];
        var symbols = new IntPtr[(int)rank];
        fixed (long* d = sizes)
            OrtApi.Check(OrtApi.GetDimensions(info, d, rank), modelId, $"reading the shape of '{name}'");
        if (symbolic && rank > 0)
            fixed (IntPtr* sym = symbols)
                OrtApi.Check(OrtApi.GetSymbolicDimensions(info, (byte**)sym, rank), modelId, $"reading symbolic dimensions of '{name}'");
        var dims = new OnnxDimension[(int)rank];
        for (var k = 0; k < dims.Length; k++)
        {
            var symbol = symbols[k] == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(symbols[k]);
            dims[k] = new OnnxDimension(sizes[k] >= 0 ? sizes[k] : -1, string.IsNullOrEmpty(symbol) ? null : symbol);
        }
        return ((TensorElementType)type, dims);
    }
}
