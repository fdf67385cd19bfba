using Vigil.Models.Onnx;
using Vigil.Models.Tensors;

namespace Vigil.Models.Tests.Onnx;

/// <summary>The 11 upstream ONNX backend node tests: ORT's outputs must match the documented ones.</summary>
public sealed class OnnxNodeTests
{
    public static TheoryData<string> Cases => new(NodeTestCase.Names);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Run_OnnxNodeTestCase_MatchesDocumentedOutputsWithin1e5(string name)
    {
        var testCase = NodeTestCase.Load(name);
        using var session = OnnxSession.Load(testCase.ModelPath, new OnnxSessionOptions { IntraOpThreads = 1, ModelId = name });
        Assert.Equal(name, session.ModelId);
        using var result = session.Run(testCase.NamedInputs(session));

        Assert.Equal(testCase.Outputs.Count, result.Count);
        foreach (var (outName, type, dims, data) in testCase.Outputs)
        {
            var actual = result[outName];
            Assert.Equal(type, actual.ElementType);
            Assert.Equal(new TensorShape(dims), actual.Shape);
            double[] values = type switch
            {
                TensorElementType.Float32 => actual.As<float>().ToArray().Select(v => (double)v).ToArray(),
                TensorElementType.Int64 => actual.As<long>().ToArray().Select(v => (double)v).ToArray(),
                _ => throw new NotSupportedException(type.ToString()),
            };
            for (var i = 0; i < data.Length; i++)
                Assert.True(Math.Abs(values[i] - data[i]) <= 1e-5,
                    $"{name} output '{outName}'[{i}]: got {values[i]:R}, documented {data[i]:R}");
        }
    }

    [Fact]
    public void Run_AttentionWithQkOutput_ReturnsRowsOfAttentionProbabilitiesSummingToOne()
    {
        // Output 1 of this case is the post-softmax attention map: every row is a distribution.
        var testCase = NodeTestCase.Load("test_attention_4d_with_qk_matmul_softmax");
        using var session = OnnxSession.Load(testCase.ModelPath, new OnnxSessionOptions { IntraOpThreads = 1 });
        using var result = session.Run(testCase.NamedInputs(session), ["qk_matmul_output"]);
        var probs = result.Get<float>("qk_matmul_output");
        Assert.Equal(new TensorShape(2, 3, 4, 6), probs.Shape);
        for (var row = 0; row < 2 * 3 * 4; row++)
        {
            var sum = 0.0;
            for (var k = 0; k < 6; k++)
            {
                var p = probs[row * 6 + k];
                Assert.InRange(p, 0f, 1f);
                sum += p;
            }
            Assert.True(Math.Abs(sum - 1) < 1e-5, $"row {row} sums to {sum}");
        }
    }
}
