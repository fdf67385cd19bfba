namespace Vigil.Models.Onnx;

/// <summary>
/// One dimension of a model input or output as the model declares it: a fixed size, or a
/// symbolic one (a name such as "batch", or unnamed) whose size is chosen at run time.
/// </summary>
/// <param name="Size">The fixed size, or -1 when the dimension is symbolic.</param>
/// <param name="Symbol">The symbolic name ("batch"), or null when fixed or unnamed.</param>
public readonly record struct OnnxDimension(long Size, string? Symbol)
{
    /// <summary>True when the size is fixed by the model.</summary>
    public bool IsFixed => Size >= 0;

    /// <summary>The size, the symbolic name, or "?" for an unnamed dynamic dimension.</summary>
    public override string ToString() => IsFixed ? Size.ToString(System.Globalization.CultureInfo.InvariantCulture) : Symbol ?? "?";
}
