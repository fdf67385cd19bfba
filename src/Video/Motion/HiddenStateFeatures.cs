namespace Vigil.Video.Motion;

/// <summary>
/// The pooled hidden-state block: a backbone's hidden tensor of width C (channels per token or per
/// location) averaged over the patch tokens, then over <see cref="Values(int)"/> contiguous channel groups
/// (group g holds channels ⌊gC/P⌋ … ⌊(g+1)C/P⌋ − 1, P = min(<see cref="MaxValues"/>, C)); no learned
/// projection. It holds no positions, so it is appended after the per-patch blocks and the mirror
/// augmentation leaves it unchanged.
/// </summary>
public static class HiddenStateFeatures
{
    /// <summary>At most this many pooled values per frame.</summary>
    public const int MaxValues = 32;

    /// <summary>The command-line and config name of <paramref name="hidden"/>.</summary>
    public static string Name(HiddenStates hidden) => hidden switch
    {
        HiddenStates.None => "none",
        HiddenStates.Pooled => "pooled",
        _ => throw new ArgumentOutOfRangeException(nameof(hidden), hidden, "unknown hidden-state choice"),
    };

    /// <summary>The choice named <paramref name="name"/>, or null when it names none.</summary>
    public static HiddenStates? Parse(string name) => name switch
    {
        "none" => HiddenStates.None,
        "pooled" => HiddenStates.Pooled,
        _ => null,
    };

    /// <summary>Pooled values per frame for a hidden tensor of <paramref name="width"/> channels: min(32, width), 0 without one.</summary>
    public static int Values(int width) => width <= 0 ? 0 : Math.Min(MaxValues, width);

    /// <summary>Values the choice adds per frame on a backbone whose hidden tensor has <paramref name="width"/> channels.</summary>
    public static int Values(HiddenStates hidden, int width) => hidden == HiddenStates.Pooled ? Values(width) : 0;

    /// <summary>What the block is (for cards and docs); empty for <c>none</c>.</summary>
    public static string Describe(HiddenStates hidden) => hidden == HiddenStates.Pooled
        ? $", then the backbone's hidden state averaged over the patch tokens and over min({MaxValues}, channels) contiguous channel groups (no positions)"
        : "";

    /// <summary>
    /// Pools a hidden tensor laid out [tokens, width] (a ViT's token embeddings) over the tokens
    /// <paramref name="first"/> … <paramref name="first"/> + <paramref name="count"/> − 1.
    /// </summary>
    /// <exception cref="InvalidDataException">The tensor is not tokens × width, or holds NaN.</exception>
    public static float[] PoolTokens(ReadOnlySpan<float> tokens, int width, int first, int count, string name)
    {
        if (width < 1 || tokens.Length % width != 0 || first < 0 || count < 1 || (first + count) * width > tokens.Length)
            throw new InvalidDataException($"{name}: hidden state has {tokens.Length} values, not tokens x {width} with patch tokens {first}..{first + count - 1}");
        var means = new double[width];
        for (var t = first; t < first + count; t++)
        {
            var row = tokens.Slice(t * width, width);
            for (var c = 0; c < width; c++) means[c] += row[c];
        }
        return Groups(means, count, name);
    }

    /// <summary>Pools a hidden tensor laid out [width, locations] (a CNN's feature map) over all locations.</summary>
    /// <exception cref="InvalidDataException">The map is not width × locations, or holds NaN.</exception>
    public static float[] PoolLocations(ReadOnlySpan<float> map, int width, string name)
    {
        if (width < 1 || map.Length == 0 || map.Length % width != 0)
            throw new InvalidDataException($"{name}: hidden state has {map.Length} values, not {width} channels x locations");
        var locations = map.Length / width;
        var means = new double[width];
        for (var c = 0; c < width; c++)
            foreach (var v in map.Slice(c * locations, locations)) means[c] += v;
        return Groups(means, locations, name);
    }

    // Channel sums / n → per-channel means → the means of P contiguous groups.
    private static float[] Groups(double[] sums, int n, string name)
    {
        var width = sums.Length;
        var values = Values(width);
        var pooled = new float[values];
        for (var g = 0; g < values; g++)
        {
            int from = (int)((long)g * width / values), to = (int)((long)(g + 1) * width / values);
            double total = 0;
            for (var c = from; c < to; c++) total += sums[c] / n;
            pooled[g] = (float)(total / (to - from));
            if (!float.IsFinite(pooled[g])) throw new InvalidDataException($"{name}: hidden state holds NaN or infinity");
        }
        return pooled;
    }
}
