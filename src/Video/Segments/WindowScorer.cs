namespace Vigil.Video.Segments;

/// <summary>
/// Scores an untrimmed video with an adapter: windows of <see cref="IActionAdapter.WindowFrames"/>
/// frames every <c>stride</c> frames (the last aligned with the end), each frame's probabilities the
/// mean over the windows that cover it.
/// </summary>
public static class WindowScorer
{
    /// <summary>Per-frame probabilities [frames, labels] for the whole feature sequence.</summary>
    public static float[][] Score(IActionAdapter adapter, IReadOnlyList<float[]> features, int stride)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        var labels = adapter.Labels.Count;
        var n = features.Count;
        var sums = new float[n][];
        var counts = new int[n];
        for (var i = 0; i < n; i++) sums[i] = new float[labels];
        if (n == 0) return sums;
        var w = Math.Min(adapter.WindowFrames, n);
        var starts = new List<int>();
        for (var s = 0; s + w <= n; s += stride) starts.Add(s);
        if (starts[^1] != n - w) starts.Add(n - w);
        foreach (var start in starts)
        {
            var window = new float[w][];
            for (var i = 0; i < w; i++)
            {
                window[i] = features[start + i];
                if (window[i].Length != adapter.FeatureDimension)
                    throw new ArgumentException($"frame {start + i} has {window[i].Length} features, the adapter expects {adapter.FeatureDimension}");
            }
            var scores = adapter.Score(window);
            for (var i = 0; i < w; i++)
            {
                counts[start + i]++;
                for (var l = 0; l < labels; l++) sums[start + i][l] += scores[i][l];
            }
        }
        for (var i = 0; i < n; i++)
            for (var l = 0; l < labels; l++) sums[i][l] /= counts[i];
        return sums;
    }
}
