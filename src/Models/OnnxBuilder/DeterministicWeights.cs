namespace Vigil.Models.OnnxBuilder;

/// <summary>
/// Reproducible pseudo-random weights (SplitMix64), so a demonstration model built today has the
/// same bytes, and the same sha256 on its card, as one built on any other machine or .NET version.
/// </summary>
public sealed class DeterministicWeights(ulong seed)
{
    // SplitMix64 state; advanced by a fixed odd constant per draw.
    private ulong _state = seed;

    /// <summary>Next value, uniform in [-<paramref name="scale"/>, <paramref name="scale"/>).</summary>
    public float NextSigned(float scale)
    {
        _state += 0x9E3779B97F4A7C15UL;
        var z = _state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        // Top 24 bits give an exactly representable float in [0, 1).
        var unit = (z >> 40) / (float)(1 << 24);
        return (unit * 2f - 1f) * scale;
    }

    /// <summary>An array of <paramref name="count"/> values in [-scale, scale).</summary>
    public float[] Array(int count, float scale)
    {
        var a = new float[count];
        for (var i = 0; i < a.Length; i++) a[i] = NextSigned(scale);
        return a;
    }
}
