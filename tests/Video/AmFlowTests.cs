using Vigil.Video.Motion;

namespace Vigil.Video.Tests;

public sealed class AmFlowTests
{
    [Fact]
    public void Compute_IdenticalMaps_GivesOneForEveryToken()
    {
        var a = Uniform(5);
        var flow = AmFlow.Compute(a, a, 5);
        Assert.All(flow, v => Assert.Equal(1f, v, 5));
    }

    [Fact]
    public void Compute_AttentionMovedToOneKey_ThatKeyGetsTheKnownFlow()
    {
        // Every row moves its attention from key 1 to key 3 between the frames: |A_t - A_t+1| is 1 at
        // keys 1 and 3 and 0 elsewhere, so each row's softmax is e/(2e+N-2) there and 1/(2e+N-2) elsewhere.
        const int n = 6;
        var a = new float[n * n];
        var b = new float[n * n];
        for (var i = 0; i < n; i++)
        {
            a[i * n + 1] = 1;
            b[i * n + 3] = 1;
        }
        var flow = AmFlow.Compute(a, b, n);
        var denominator = 2 * MathF.E + n - 2;
        for (var j = 0; j < n; j++)
        {
            var expected = n * (j is 1 or 3 ? MathF.E : 1f) / denominator;
            Assert.Equal(expected, flow[j], 4);
        }
        Assert.Equal(n, flow.Sum(), 3);
    }

    [Fact]
    public void Compute_OnlyOneRowChanges_FlowFollowsThatRowOnly()
    {
        const int n = 4;
        var a = Uniform(n);
        var b = (float[])a.Clone();
        // Row 2 changes by +0.5 at key 0 and -0.5 at key 3: |difference| is (0.5, 0, 0, 0.5).
        b[2 * n + 0] = 0.25f + 0.5f;
        b[2 * n + 3] = 0.25f - 0.5f;
        var flow = AmFlow.Compute(a, b, n);
        // Rows 0, 1, 3 contribute 1/n to every key; row 2's softmax of (0.5, 0, 0, 0.5).
        var den = 2 * MathF.Exp(0.5f) + 2;
        Assert.Equal(3f / n + MathF.Exp(0.5f) / den, flow[0], 5);
        Assert.Equal(3f / n + 1 / den, flow[1], 5);
        Assert.Equal(3f / n + MathF.Exp(0.5f) / den, flow[3], 5);
    }

    [Fact]
    public void Compute_WrongShape_NamesTheSizes()
    {
        var e = Assert.Throws<ArgumentException>(() => AmFlow.Compute(new float[9], new float[8], 3));
        Assert.Contains("3x3", e.Message);
    }

    [Fact]
    public void Compute_NaN_IsRefused()
    {
        var a = Uniform(3);
        var b = Uniform(3);
        b[4] = float.NaN;
        Assert.Throws<ArgumentException>(() => AmFlow.Compute(a, b, 3));
    }

    [Fact]
    public void ReceivedAttention_SkipsTemplateTokensAndAveragesPatchQueries()
    {
        var grid = new PatchGrid(Tokens: 6, Offset: 2, Rows: 2, Columns: 2);
        var attention = new float[36];
        // Patch queries (rows 2..5) all look at patch 3 (token 5); template rows look elsewhere.
        for (var q = 2; q < 6; q++) attention[q * 6 + 5] = 1;
        attention[0 * 6 + 2] = 1;
        var map = new float[4];
        grid.ReceivedAttention(attention, map);
        Assert.Equal([0f, 0f, 0f, 1f], map);
    }

    [Fact]
    public void Farneback_BlobMovesRight_FlowPointsRight()
    {
        const int size = 16;
        var a = Blob(size, 6, 8);
        var b = Blob(size, 7, 8);
        var flow = AttentionOpticalFlow.Farneback(a, b, size, size);
        var dx = flow[(8 * size + 6) * 2];
        var dy = flow[(8 * size + 6) * 2 + 1];
        Assert.InRange(dx, 0.4f, 1.6f);
        Assert.InRange(MathF.Abs(dy), 0f, 0.3f);
    }

    private static float[] Blob(int size, float cx, float cy)
    {
        var m = new float[size * size];
        for (var r = 0; r < size; r++)
            for (var c = 0; c < size; c++)
                m[r * size + c] = MathF.Exp(-((c - cx) * (c - cx) + (r - cy) * (r - cy)) / 4f);
        return m;
    }

    private static float[] Uniform(int n) => Enumerable.Repeat(1f / n, n * n).ToArray();
}
