namespace Vigil.Video.Motion;

/// <summary>
/// Attention-map flow (AM flow) as Agrawal et al. define it (arXiv 2411.02065): for the N×N
/// attention maps A_t and A_{t+1} of consecutive frames,
/// <c>AMflow_t = softmax(|A_t − A_{t+1}|)ᵀ · 1</c>, the softmax taken along each row (over keys),
/// the product with the ones vector summing each column over the rows. The result is one value
/// per token (N values summing to N): tokens whose attention relations changed most between the
/// frames weigh most. A static scene gives 1 for every token.
/// </summary>
public static class AmFlow
{
    /// <summary>
    /// Computes AM flow of two row-major N×N attention maps into <paramref name="flow"/> (N values).
    /// </summary>
    /// <exception cref="ArgumentException">The maps are not N×N, or <paramref name="flow"/> is not N long.</exception>
    public static void Compute(ReadOnlySpan<float> current, ReadOnlySpan<float> next, int tokens, Span<float> flow)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tokens, 1);
        if (current.Length != tokens * tokens || next.Length != tokens * tokens)
            throw new ArgumentException($"attention maps must be {tokens}x{tokens} ({tokens * tokens} values), got {current.Length} and {next.Length}");
        if (flow.Length != tokens) throw new ArgumentException($"flow must hold {tokens} values, got {flow.Length}");
        flow.Clear();
        Span<float> row = tokens <= 1024 ? stackalloc float[tokens] : new float[tokens];
        for (var i = 0; i < tokens; i++)
        {
            var a = current.Slice(i * tokens, tokens);
            var b = next.Slice(i * tokens, tokens);
            var max = float.NegativeInfinity;
            for (var j = 0; j < tokens; j++)
            {
                var d = MathF.Abs(a[j] - b[j]);
                if (float.IsNaN(d)) throw new ArgumentException($"attention map row {i} holds NaN");
                row[j] = d;
                if (d > max) max = d;
            }
            var sum = 0f;
            for (var j = 0; j < tokens; j++)
            {
                row[j] = MathF.Exp(row[j] - max);
                sum += row[j];
            }
            var inv = 1f / sum;
            for (var j = 0; j < tokens; j++) flow[j] += row[j] * inv;
        }
    }

    /// <summary>AM flow of two maps, as a new array.</summary>
    public static float[] Compute(ReadOnlySpan<float> current, ReadOnlySpan<float> next, int tokens)
    {
        var flow = new float[tokens];
        Compute(current, next, tokens, flow);
        return flow;
    }
}
