using Vigil.Models.OnnxBuilder;

namespace Vigil.Video.Tests.Fixtures;

/// <summary>
/// A DINOv2-shaped ViT built with the project's ONNX builder, for attention-tap geometry tests:
/// input <c>pixel_values</c> [1,3,64,64], 8 px patches (an 8×8 grid), a class token and 4 register
/// tokens before the patches (69 tokens), 3 blocks of 2-head attention whose Softmax outputs are
/// named <c>blocks.B/attn/softmax</c> and are NOT graph outputs (a plain export: only
/// <c>last_hidden_state</c>). The weights are engineered so the attention is known in closed form:
/// channel 0 of every patch token is the patch's mean input value (0 for the class and register
/// tokens) and no block writes to it; every query of head h in block b scores key j as
/// 0.5·g[b,h]·x_j0, so each row of the map is softmax over keys of that, the same for every query.
/// </summary>
internal static class DinoShapedVit
{
    public const int Size = 64;
    public const int Patch = 8;
    public const int Grid = Size / Patch;
    public const int Registers = 4;
    public const int Prefix = 1 + Registers;
    public const int Tokens = Prefix + Grid * Grid;
    public const int Blocks = 3;
    public const int Dim = 8;
    private const int Heads = 2;
    private const int HeadDim = Dim / Heads;

    /// <summary>Key gain per block and head.</summary>
    public static readonly float[,] Gains = { { 2f, 1f }, { 3f, 2f }, { 4f, 3f } };

    public static string Output(int block) => $"blocks.{block}/attn/softmax";

    public static byte[] Build()
    {
        var w = new DeterministicWeights(20261205);
        var patchW = new float[Dim * 3 * Patch * Patch];
        // Channel 0: the patch mean over its 3×8×8 inputs; other channels random.
        for (var o = 0; o < Dim; o++)
            for (var k = 0; k < 3 * Patch * Patch; k++)
                patchW[o * 3 * Patch * Patch + k] = o == 0 ? 1f / (3 * Patch * Patch) : w.NextSigned(0.1f);
        var patchB = ZeroChannel0(w.Array(Dim, 0.1f), 1, Dim);
        var pos = ZeroChannel0(w.Array(Grid * Grid * Dim, 0.1f), Grid * Grid, Dim);
        var prefix = ZeroChannel0(w.Array(Prefix * Dim, 0.5f), Prefix, Dim);
        var b = new OnnxModelBuilder("dinov2_shaped_vit")
            .Input("pixel_values", OnnxDataType.Float, 1, 3, Size, Size)
            .Initializer("embeddings.patch.w", [Dim, 3, Patch, Patch], patchW)
            .Initializer("embeddings.patch.b", [Dim], patchB)
            .Initializer("embeddings.position", [1, Grid * Grid, Dim], pos)
            .Initializer("embeddings.cls_and_registers", [1, Prefix, Dim], prefix)
            .Initializer("shape.dt", [3], [1L, Dim, Grid * Grid])
            .Initializer("shape.heads", [4], [1L, Tokens, Heads, HeadDim])
            .Initializer("shape.merge", [3], [1L, Tokens, Dim])
            .Initializer("scale", [], [1f / MathF.Sqrt(HeadDim)])
            .Node("Conv", ["pixel_values", "embeddings.patch.w", "embeddings.patch.b"], ["embeddings.patches"],
                OnnxAttribute.Ints("kernel_shape", Patch, Patch), OnnxAttribute.Ints("strides", Patch, Patch))
            .Node("Reshape", ["embeddings.patches", "shape.dt"], ["embeddings.flat"])
            .Node("Transpose", ["embeddings.flat"], ["embeddings.tokens"], OnnxAttribute.Ints("perm", 0, 2, 1))
            .Node("Add", ["embeddings.tokens", "embeddings.position"], ["embeddings.positioned"])
            .Node("Concat", ["embeddings.cls_and_registers", "embeddings.positioned"], ["x0"], OnnxAttribute.Int("axis", 1));
        for (var block = 0; block < Blocks; block++)
        {
            var p = $"blocks.{block}/";
            var bq = new float[Dim];
            bq[0] = 1f;
            bq[HeadDim] = 1f;
            var wk = new float[Dim * Dim];
            wk[0 * Dim + 0] = Gains[block, 0];
            wk[0 * Dim + HeadDim] = Gains[block, 1];
            var wo = w.Array(Dim * Dim, 0.3f);
            for (var i = 0; i < Dim; i++) wo[i * Dim] = 0f; // nothing is written to channel 0
            var bo = ZeroChannel0(w.Array(Dim, 0.1f), 1, Dim);
            b.Initializer(p + "q.w", [Dim, Dim], new float[Dim * Dim]).Initializer(p + "q.b", [Dim], bq)
             .Initializer(p + "k.w", [Dim, Dim], wk).Initializer(p + "k.b", [Dim], new float[Dim])
             .Initializer(p + "v.w", [Dim, Dim], w.Array(Dim * Dim, 0.5f)).Initializer(p + "v.b", [Dim], w.Array(Dim, 0.1f))
             .Initializer(p + "o.w", [Dim, Dim], wo).Initializer(p + "o.b", [Dim], bo);
            var x = $"x{block}";
            foreach (var n in new[] { "q", "k", "v" })
                b.Node("MatMul", [x, p + n + ".w"], [p + n + ".mm"])
                 .Node("Add", [p + n + ".mm", p + n + ".b"], [p + n])
                 .Node("Reshape", [p + n, "shape.heads"], [p + n + ".split"]);
            b.Node("Transpose", [p + "q.split"], [p + "qh"], OnnxAttribute.Ints("perm", 0, 2, 1, 3))
             .Node("Transpose", [p + "k.split"], [p + "kt"], OnnxAttribute.Ints("perm", 0, 2, 3, 1))
             .Node("Transpose", [p + "v.split"], [p + "vh"], OnnxAttribute.Ints("perm", 0, 2, 1, 3))
             .Node("MatMul", [p + "qh", p + "kt"], [p + "scores"])
             .Node("Mul", [p + "scores", "scale"], [p + "scores.scaled"])
             .Node("Softmax", [p + "scores.scaled"], [Output(block)], OnnxAttribute.Int("axis", -1))
             .Node("MatMul", [Output(block), p + "vh"], [p + "ctx"])
             .Node("Transpose", [p + "ctx"], [p + "ctx.t"], OnnxAttribute.Ints("perm", 0, 2, 1, 3))
             .Node("Reshape", [p + "ctx.t", "shape.merge"], [p + "ctx.merged"])
             .Node("MatMul", [p + "ctx.merged", p + "o.w"], [p + "o.mm"])
             .Node("Add", [p + "o.mm", p + "o.b"], [p + "o"])
             .Node("Add", [x, p + "o"], [block == Blocks - 1 ? "last_hidden_state" : $"x{block + 1}"]);
        }
        return b.Output("last_hidden_state", OnnxDataType.Float, 1, Tokens, Dim).Build();
    }

    /// <summary>
    /// The attention of <paramref name="block"/> computed by hand from the model's input [1,3,64,64]
    /// (head-averaged, tokens×tokens; every row the same).
    /// </summary>
    public static float[] ExpectedAttention(ReadOnlySpan<float> input, int block)
    {
        var x0 = new double[Tokens];
        for (var r = 0; r < Grid; r++)
            for (var c = 0; c < Grid; c++)
            {
                double sum = 0;
                for (var ch = 0; ch < 3; ch++)
                    for (var y = 0; y < Patch; y++)
                        for (var xx = 0; xx < Patch; xx++)
                            sum += input[ch * Size * Size + (r * Patch + y) * Size + c * Patch + xx];
                x0[Prefix + r * Grid + c] = sum / (3 * Patch * Patch);
            }
        var row = new double[Tokens];
        for (var h = 0; h < Heads; h++)
        {
            var z = x0.Select(v => 0.5 * Gains[block, h] * v).ToArray();
            var max = z.Max();
            var e = z.Select(v => Math.Exp(v - max)).ToArray();
            var total = e.Sum();
            for (var j = 0; j < Tokens; j++) row[j] += e[j] / total / Heads;
        }
        var map = new float[Tokens * Tokens];
        for (var q = 0; q < Tokens; q++)
            for (var j = 0; j < Tokens; j++) map[q * Tokens + j] = (float)row[j];
        return map;
    }

    private static float[] ZeroChannel0(float[] values, int rows, int dim)
    {
        for (var r = 0; r < rows; r++) values[r * dim] = 0f;
        return values;
    }
}
