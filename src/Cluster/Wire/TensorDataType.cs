namespace Vigil.Cluster.Wire;

/// <summary>Element types a <see cref="WireTensor"/> can carry; the byte value is the wire code.</summary>
public enum TensorDataType : byte
{
    /// <summary>32-bit IEEE float.</summary>
    Float32 = 1,
    /// <summary>64-bit IEEE float.</summary>
    Float64 = 2,
    /// <summary>32-bit signed integer.</summary>
    Int32 = 3,
    /// <summary>64-bit signed integer.</summary>
    Int64 = 4,
    /// <summary>Unsigned byte.</summary>
    UInt8 = 5,
}

/// <summary>Element sizes of <see cref="TensorDataType"/>.</summary>
public static class TensorDataTypes
{
    /// <summary>Bytes per element; throws for an unknown code.</summary>
    public static int SizeOf(TensorDataType type) => type switch
    {
        TensorDataType.Float32 or TensorDataType.Int32 => 4,
        TensorDataType.Float64 or TensorDataType.Int64 => 8,
        TensorDataType.UInt8 => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown tensor element type"),
    };
}
