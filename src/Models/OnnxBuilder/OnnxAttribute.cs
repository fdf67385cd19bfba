namespace Vigil.Models.OnnxBuilder;

/// <summary>A node attribute (an ONNX <c>AttributeProto</c>): one float, int, string or list.</summary>
public sealed class OnnxAttribute
{
    // AttributeProto.AttributeType codes from the ONNX specification.
    private const int TypeFloat = 1, TypeInt = 2, TypeString = 3, TypeFloats = 6, TypeInts = 7;

    // Which of the value fields below is in use (an AttributeType code).
    private readonly int _type;
    private readonly float _float;
    private readonly long _int;
    private readonly string? _string;
    private readonly float[]? _floats;
    private readonly long[]? _ints;

    /// <summary>The attribute's name, e.g. <c>"kernel_shape"</c>.</summary>
    public string Name { get; }

    private OnnxAttribute(string name, int type, float f = 0, long i = 0, string? s = null, float[]? floats = null, long[]? ints = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name; _type = type; _float = f; _int = i; _string = s; _floats = floats; _ints = ints;
    }

    /// <summary>A single float attribute.</summary>
    public static OnnxAttribute Float(string name, float value) => new(name, TypeFloat, f: value);

    /// <summary>A single integer attribute.</summary>
    public static OnnxAttribute Int(string name, long value) => new(name, TypeInt, i: value);

    /// <summary>A UTF-8 string attribute.</summary>
    public static OnnxAttribute String(string name, string value) => new(name, TypeString, s: value);

    /// <summary>A list-of-floats attribute.</summary>
    public static OnnxAttribute Floats(string name, params float[] values) => new(name, TypeFloats, floats: values.ToArray());

    /// <summary>A list-of-integers attribute.</summary>
    public static OnnxAttribute Ints(string name, params long[] values) => new(name, TypeInts, ints: values.ToArray());

    // AttributeProto: name=1, f=2, i=3, s=4, floats=7, ints=8, type=20.
    internal void WriteTo(ProtoWriter w)
    {
        w.String(1, Name);
        w.Int64(20, _type);
        switch (_type)
        {
            case TypeFloat: w.Float(2, _float); break;
            case TypeInt: w.Int64(3, _int); break;
            case TypeString: w.String(4, _string!); break;
            // Repeated scalars in proto2 are unpacked by default; parsers accept both forms.
            case TypeFloats: foreach (var f in _floats!) w.Float(7, f); break;
            case TypeInts: foreach (var i in _ints!) w.Int64(8, i); break;
        }
    }
}
