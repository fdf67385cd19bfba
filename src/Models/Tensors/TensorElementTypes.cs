namespace Vigil.Models.Tensors;

/// <summary>Maps CLR element types to <see cref="TensorElementType"/> and gives element sizes.</summary>
public static class TensorElementTypes
{
    /// <summary>The element type for <typeparamref name="T"/>; throws for types with no ONNX counterpart.</summary>
    public static TensorElementType Of<T>() where T : unmanaged => ElementTypeCache<T>.Value;

    /// <summary>Size in bytes of one element, or 0 for types without a fixed size (strings, undefined).</summary>
    public static int SizeOf(TensorElementType type) => type switch
    {
        TensorElementType.Float32 or TensorElementType.Int32 or TensorElementType.UInt32 => 4,
        TensorElementType.UInt8 or TensorElementType.Int8 or TensorElementType.Bool => 1,
        TensorElementType.UInt16 or TensorElementType.Int16 or TensorElementType.Float16 or TensorElementType.BFloat16 => 2,
        TensorElementType.Int64 or TensorElementType.UInt64 or TensorElementType.Float64 or TensorElementType.Complex64 => 8,
        TensorElementType.Complex128 => 16,
        _ => 0,
    };

    /// <summary>The CLR type Vigil uses for <paramref name="type"/>, or null when dense tensors cannot hold it.</summary>
    public static Type? ClrTypeOf(TensorElementType type) => type switch
    {
        TensorElementType.Float32 => typeof(float),
        TensorElementType.Float16 => typeof(Half),
        TensorElementType.Float64 => typeof(double),
        TensorElementType.Int64 => typeof(long),
        TensorElementType.Int32 => typeof(int),
        TensorElementType.Int16 => typeof(short),
        TensorElementType.Int8 => typeof(sbyte),
        TensorElementType.UInt64 => typeof(ulong),
        TensorElementType.UInt32 => typeof(uint),
        TensorElementType.UInt16 => typeof(ushort),
        TensorElementType.UInt8 => typeof(byte),
        TensorElementType.Bool => typeof(bool),
        _ => null,
    };

    /// <summary>Short lower-case name used in messages ("float32", "int64", ...).</summary>
    public static string Name(TensorElementType type) => type switch
    {
        TensorElementType.Float32 => "float32",
        TensorElementType.Float16 => "float16",
        TensorElementType.Float64 => "float64",
        TensorElementType.BFloat16 => "bfloat16",
        _ => type.ToString().ToLowerInvariant(),
    };

    private static class ElementTypeCache<T> where T : unmanaged
    {
        public static readonly TensorElementType Value = Resolve();

        private static TensorElementType Resolve()
        {
            var t = typeof(T);
            if (t == typeof(float)) return TensorElementType.Float32;
            if (t == typeof(Half)) return TensorElementType.Float16;
            if (t == typeof(double)) return TensorElementType.Float64;
            if (t == typeof(long)) return TensorElementType.Int64;
            if (t == typeof(int)) return TensorElementType.Int32;
            if (t == typeof(short)) return TensorElementType.Int16;
            if (t == typeof(sbyte)) return TensorElementType.Int8;
            if (t == typeof(ulong)) return TensorElementType.UInt64;
            if (t == typeof(uint)) return TensorElementType.UInt32;
            if (t == typeof(ushort)) return TensorElementType.UInt16;
            if (t == typeof(byte)) return TensorElementType.UInt8;
            if (t == typeof(bool)) return TensorElementType.Bool;
            return TensorElementType.Undefined;
        }
    }
}
