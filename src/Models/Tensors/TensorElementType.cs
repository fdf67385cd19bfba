namespace Vigil.Models.Tensors;

/// <summary>
/// The element type of a tensor. The numeric values are those of ONNX's <c>TensorProto.DataType</c>
/// (and of ONNX Runtime's <c>ONNXTensorElementDataType</c>), so they cross the native boundary unchanged.
/// </summary>
public enum TensorElementType
{
    /// <summary>Not set or not known.</summary>
    Undefined = 0,
    /// <summary>32-bit IEEE float (<see cref="float"/>).</summary>
    Float32 = 1,
    /// <summary>Unsigned 8-bit integer (<see cref="byte"/>).</summary>
    UInt8 = 2,
    /// <summary>Signed 8-bit integer (<see cref="sbyte"/>).</summary>
    Int8 = 3,
    /// <summary>Unsigned 16-bit integer (<see cref="ushort"/>).</summary>
    UInt16 = 4,
    /// <summary>Signed 16-bit integer (<see cref="short"/>).</summary>
    Int16 = 5,
    /// <summary>Signed 32-bit integer (<see cref="int"/>).</summary>
    Int32 = 6,
    /// <summary>Signed 64-bit integer (<see cref="long"/>).</summary>
    Int64 = 7,
    /// <summary>Strings. Not supported by Vigil's dense tensors; reported in metadata only.</summary>
    String = 8,
    /// <summary>Boolean stored as one byte per element (<see cref="bool"/>).</summary>
    Bool = 9,
    /// <summary>16-bit IEEE float (<see cref="System.Half"/>).</summary>
    Float16 = 10,
    /// <summary>64-bit IEEE float (<see cref="double"/>).</summary>
    Float64 = 11,
    /// <summary>Unsigned 32-bit integer (<see cref="uint"/>).</summary>
    UInt32 = 12,
    /// <summary>Unsigned 64-bit integer (<see cref="ulong"/>).</summary>
    UInt64 = 13,
    /// <summary>Complex with float32 parts. Metadata only.</summary>
    Complex64 = 14,
    /// <summary>Complex with float64 parts. Metadata only.</summary>
    Complex128 = 15,
    /// <summary>Brain float 16. Metadata only.</summary>
    BFloat16 = 16,
}
