namespace Vigil.Models.OnnxBuilder;

/// <summary>
/// One vision-transformer block with fixed pseudo-random weights, whose attention probabilities
/// are a graph output (for attention-map explanations): patch embedding (Conv 4×4, stride 4,
/// 3→16 channels) → tokens [N,16,16] + position embedding → LayerNorm → Q/K/V projections →
/// 2-head scaled dot-product attention (softmax(QKᵀ/√8)) → output projection + residual.
/// Input <c>image</c> [N,3,16,16]; outputs <c>tokens</c> [N,16,16] and
/// <c>attention</c> [N,2,16,16]. Weights are public for an independent reference computation.
/// </summary>
public sealed class TinyVisionTransformerBlock
{
    /// <summary>Input image side in pixels.</summary>
    public const int Size = 16;
    /// <summary>Patch side in pixels.</summary>
    public const int Patch = 4;
    /// <summary>Number of tokens (patches).</summary>
    public const int Tokens = Size / Patch * (Size / Patch);
    /// <summary>Embedding width.</summary>
    public const int Dim = 16;
    /// <summary>Attention heads.</summary>
    public const int Heads = 2;
    /// <summary>Width per head.</summary>
    public const int HeadDim = Dim / Heads;
    /// <summary>LayerNorm epsilon.</summary>
    public const float Epsilon = 1e-5f;

    /// <summary>Patch embedding weights [16,3,4,4].</summary>
    public float[] PatchWeight { get; }
    /// <summary>Patch embedding bias [16].</summary>
    public float[] PatchBias { get; }
    /// <summary>Position embedding [1,16 tokens,16].</summary>
    public float[] Position { get; }
    /// <summary>LayerNorm scale [16].</summary>
    public float[] NormScale { get; }
    /// <summary>LayerNorm bias [16].</summary>
    public float[] NormBias { get; }
    /// <summary>Query projection [16 in,16 out] (x·Wq).</summary>
    public float[] Wq { get; }
    /// <summary>Key projection [16,16].</summary>
    public float[] Wk { get; }
    /// <summary>Value projection [16,16].</summary>
    public float[] Wv { get; }
    /// <summary>Output projection [16,16].</summary>
    public float[] Wo { get; }
    /// <summary>Query bias [16].</summary>
    public float[] Bq { get; }
    /// <summary>Key bias [16].</summary>
    public float[] Bk { get; }
    /// <summary>Value bias [16].</summary>
    public float[] Bv { get; }
    /// <summary>Output bias [16].</summary>
    public float[] Bo { get; }

    /// <summary>Creates the block with weights drawn from <paramref name="seed"/>.</summary>
    public TinyVisionTransformerBlock(ulong seed = 20261123)
    {
        var w = new DeterministicWeights(seed);
        PatchWeight = w.Array(Dim * 3 * Patch * Patch, 0.25f);
        PatchBias = w.Array(Dim, 0.1f);
        Position = w.Array(Tokens * Dim, 0.1f);
        NormScale = w.Array(Dim, 0.2f).Select(v => 1f + v).ToArray();
        NormBias = w.Array(Dim, 0.1f);
        Wq = w.Array(Dim * Dim, 0.5f); Bq = w.Array(Dim, 0.1f);
        Wk = w.Array(Dim * Dim, 0.5f); Bk = w.Array(Dim, 0.1f);
        Wv = w.Array(Dim * Dim, 0.5f); Bv = w.Array(Dim, 0.1f);
        Wo = w.Array(Dim * Dim, 0.5f); Bo = w.Array(Dim, 0.1f);
    }

    /// <summary>The block as ONNX protobuf bytes (opset 17, which has LayerNormalization).</summary>
    public byte[] ToOnnx()
    {
        var b = new OnnxModelBuilder("vigil_tiny_vit_block")
            .Input("image", OnnxDataType.Float, "N", 3, Size, Size)
            .Initializer("patch.w", [Dim, 3, Patch, Patch], PatchWeight)
            .Initializer("patch.b", [Dim], PatchBias)
            .Initializer("pos", [1, Tokens, Dim], Position)
            .Initializer("ln.scale", [Dim], NormScale)
            .Initializer("ln.bias", [Dim], NormBias)
            .Initializer("wq", [Dim, Dim], Wq).Initializer("bq", [Dim], Bq)
            .Initializer("wk", [Dim, Dim], Wk).Initializer("bk", [Dim], Bk)
            .Initializer("wv", [Dim, Dim], Wv).Initializer("bv", [Dim], Bv)
            .Initializer("wo", [Dim, Dim], Wo).Initializer("bo", [Dim], Bo)
            .Initializer("shape.dt", [3], [0L, Dim, Tokens])
            .Initializer("shape.heads", [4], [0L, 0, Heads, HeadDim])
            .Initializer("shape.merge", [3], [0L, 0, Dim])
            .Initializer("scale", [], [1f / MathF.Sqrt(HeadDim)])
            // Patch embedding: [N,D,4,4] → [N,D,T] → [N,T,D], plus position embedding.
            .Node("Conv", ["image", "patch.w", "patch.b"], ["patches"],
                OnnxAttribute.Ints("kernel_shape", Patch, Patch), OnnxAttribute.Ints("strides", Patch, Patch))
            .Node("Reshape", ["patches", "shape.dt"], ["patches.flat"])
            .Node("Transpose", ["patches.flat"], ["embed"], OnnxAttribute.Ints("perm", 0, 2, 1))
            .Node("Add", ["embed", "pos"], ["x0"])
            .Node("LayerNormalization", ["x0", "ln.scale", "ln.bias"], ["xn"],
                OnnxAttribute.Int("axis", -1), OnnxAttribute.Float("epsilon", Epsilon));
        foreach (var (p, w, bias) in new[] { ("q", "wq", "bq"), ("k", "wk", "bk"), ("v", "wv", "bv") })
            b.Node("MatMul", ["xn", w], [p + ".mm"])
             .Node("Add", [p + ".mm", bias], [p])
             .Node("Reshape", [p, "shape.heads"], [p + ".split"]);
        return b
            // Q,V: [N,T,H,Dh] → [N,H,T,Dh]; K: → [N,H,Dh,T] so QKᵀ is one MatMul.
            .Node("Transpose", ["q.split"], ["qh"], OnnxAttribute.Ints("perm", 0, 2, 1, 3))
            .Node("Transpose", ["k.split"], ["kt"], OnnxAttribute.Ints("perm", 0, 2, 3, 1))
            .Node("Transpose", ["v.split"], ["vh"], OnnxAttribute.Ints("perm", 0, 2, 1, 3))
            .Node("MatMul", ["qh", "kt"], ["scores"])
            .Node("Mul", ["scores", "scale"], ["scores.scaled"])
            .Node("Softmax", ["scores.scaled"], ["attention"], OnnxAttribute.Int("axis", -1))
            .Node("MatMul", ["attention", "vh"], ["ctx"])
            .Node("Transpose", ["ctx"], ["ctx.t"], OnnxAttribute.Ints("perm", 0, 2, 1, 3))
            .Node("Reshape", ["ctx.t", "shape.merge"], ["ctx.merged"])
            .Node("MatMul", ["ctx.merged", "wo"], ["o.mm"])
            .Node("Add", ["o.mm", "bo"], ["o"])
            .Node("Add", ["x0", "o"], ["tokens"])
            .Output("tokens", OnnxDataType.Float, "N", Tokens, Dim)
            .Output("attention", OnnxDataType.Float, "N", Heads, Tokens, Tokens)
            .Build();
    }
}
