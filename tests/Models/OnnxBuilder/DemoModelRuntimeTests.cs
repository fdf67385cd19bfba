using Vigil.Models.OnnxBuilder;
using Vigil.Models.Onnx;
using Vigil.Models.Tensors;

namespace Vigil.Models.Tests.OnnxBuilder;

/// <summary>Runs the builder's demonstration models in ONNX Runtime and checks them against <see cref="ReferenceMath"/>.</summary>
public sealed class DemoModelRuntimeTests
{
    private const float Tolerance = 1e-4f;

    private static float[] Image(int length, int seed)
    {
        var w = new DeterministicWeights((ulong)seed);
        return w.Array(length, 1f);
    }

    [Fact]
    public void SmallCnn_RunInOnnxRuntime_MatchesTheIndependentReferenceForEachImageOfABatch()
    {
        var model = new SmallCnn();
        using var session = OnnxSession.Load(model.ToOnnx(), "small-cnn");
        const int batch = 3, perImage = 3 * SmallCnn.Size * SmallCnn.Size;
        var input = new float[batch * perImage];
        for (var n = 0; n < batch; n++) Image(perImage, 100 + n).CopyTo(input, n * perImage);

        using var result = session.Run("image", DenseTensor<float>.Wrap(input, batch, 3, SmallCnn.Size, SmallCnn.Size));

        var probs = result.Get<float>("probabilities");
        Assert.Equal(new TensorShape(batch, SmallCnn.Classes), probs.Shape);
        for (var n = 0; n < batch; n++)
        {
            var expected = ReferenceMath.SmallCnnForward(model, input.AsSpan(n * perImage, perImage).ToArray());
            AssertClose(expected, probs.Span.Slice(n * SmallCnn.Classes, SmallCnn.Classes), $"image {n}");
        }
    }

    [Fact]
    public void SmallCnn_Metadata_HasSymbolicBatchDimension()
    {
        using var session = OnnxSession.Load(new SmallCnn().ToOnnx(), "small-cnn");
        var input = Assert.Single(session.Inputs);
        Assert.Equal("image", input.Name);
        Assert.Equal(TensorElementType.Float32, input.ElementType);
        Assert.False(input.Dimensions[0].IsFixed);
        Assert.Equal("N", input.Dimensions[0].Symbol);
        Assert.Equal([3L, 32, 32], input.Dimensions.Skip(1).Select(d => d.Size));
    }

    [Fact]
    public void TinyVisionTransformerBlock_RunInOnnxRuntime_TokensAndAttentionMatchTheReference()
    {
        var model = new TinyVisionTransformerBlock();
        using var session = OnnxSession.Load(model.ToOnnx(), "tiny-vit");
        const int batch = 2, perImage = 3 * TinyVisionTransformerBlock.Size * TinyVisionTransformerBlock.Size;
        const int T = TinyVisionTransformerBlock.Tokens, D = TinyVisionTransformerBlock.Dim, H = TinyVisionTransformerBlock.Heads;
        var input = new float[batch * perImage];
        for (var n = 0; n < batch; n++) Image(perImage, 200 + n).CopyTo(input, n * perImage);

        using var result = session.Run("image", DenseTensor<float>.Wrap(input, batch, 3, 16, 16));

        var tokens = result.Get<float>("tokens");
        var attention = result.Get<float>("attention");
        Assert.Equal(new TensorShape(batch, T, D), tokens.Shape);
        Assert.Equal(new TensorShape(batch, H, T, T), attention.Shape);
        for (var n = 0; n < batch; n++)
        {
            var (expectedTokens, expectedAttention) = ReferenceMath.VitForward(model, input.AsSpan(n * perImage, perImage).ToArray());
            AssertClose(expectedTokens, tokens.Span.Slice(n * T * D, T * D), $"tokens of image {n}");
            AssertClose(expectedAttention, attention.Span.Slice(n * H * T * T, H * T * T), $"attention of image {n}");
        }
    }

    [Fact]
    public void TinyVisionTransformerBlock_AttentionOutput_RowsAreProbabilityDistributions()
    {
        using var session = OnnxSession.Load(new TinyVisionTransformerBlock().ToOnnx(), "tiny-vit");
        using var result = session.Run("image", DenseTensor<float>.Wrap(Image(768, 7), 1, 3, 16, 16));
        var attention = result.Get<float>("attention").ToArray();
        for (var row = 0; row < attention.Length / 16; row++)
        {
            var r = attention.AsSpan(row * 16, 16);
            Assert.All(r.ToArray(), p => Assert.InRange(p, 0f, 1f));
            Assert.Equal(1.0, r.ToArray().Sum(p => (double)p), 4);
        }
    }

    private static void AssertClose(float[] expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            if (Math.Abs(expected[i] - actual[i]) > Tolerance)
                Assert.Fail($"{what}[{i}]: ORT {actual[i]} vs reference {expected[i]} (tolerance {Tolerance})");
    }
}
