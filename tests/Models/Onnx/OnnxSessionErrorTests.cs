using Vigil.Models.Onnx;
using Vigil.Models.Tensors;

namespace Vigil.Models.Tests.Onnx;

/// <summary>Bad models and bad inputs give clear errors naming the model and input, never a crash.</summary>
public sealed class OnnxSessionErrorTests : IDisposable
{
    private readonly string _temp = Path.Combine(Path.GetTempPath(), "vigil-onnx-tests-" + Guid.NewGuid().ToString("N"));

    public OnnxSessionErrorTests() => Directory.CreateDirectory(_temp);

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public void Load_CorruptModelFile_ThrowsOnnxRuntimeExceptionNamingModel()
    {
        var path = Path.Combine(_temp, "corrupt.onnx");
        var garbage = new byte[4096];
        new Random(7).NextBytes(garbage);
        File.WriteAllBytes(path, garbage);

        var e = Assert.Throws<OnnxRuntimeException>(() => OnnxSession.Load(path));
        Assert.Equal("corrupt", e.ModelId);
        Assert.NotEqual(OnnxErrorCode.Ok, e.ErrorCode);
        Assert.False(string.IsNullOrWhiteSpace(e.RuntimeMessage));
        Assert.Contains("corrupt", e.Message);
    }

    [Fact]
    public void Load_TruncatedModelFile_ThrowsInvalidProtobuf()
    {
        var bytes = File.ReadAllBytes(SharedAssets.Model("ultraface_version-RFB-320.onnx"));
        var path = Path.Combine(_temp, "ultraface_truncated.onnx");
        File.WriteAllBytes(path, bytes.AsSpan(0, bytes.Length / 2).ToArray());

        var e = Assert.Throws<OnnxRuntimeException>(() => OnnxSession.Load(path));
        Assert.Equal(OnnxErrorCode.InvalidProtobuf, e.ErrorCode);
        Assert.Equal("ultraface_truncated", e.ModelId);
    }

    [Fact]
    public void Load_TruncatedModelBytes_ThrowsInvalidProtobuf()
    {
        var bytes = File.ReadAllBytes(SharedAssets.Model("pfld_68pt_112x112.onnx"));
        var e = Assert.Throws<OnnxRuntimeException>(() => OnnxSession.Load(bytes.AsSpan(0, bytes.Length - 1000), "pfld-cut"));
        Assert.Equal(OnnxErrorCode.InvalidProtobuf, e.ErrorCode);
        Assert.Contains("pfld-cut", e.Message);
    }

    [Fact]
    public void Load_MissingFile_ThrowsNoSuchFile()
    {
        var e = Assert.Throws<OnnxRuntimeException>(() => OnnxSession.Load(Path.Combine(_temp, "absent.onnx")));
        Assert.Equal(OnnxErrorCode.NoSuchFile, e.ErrorCode);
        Assert.Contains("absent.onnx", e.Message);
    }

    [Fact]
    public void Load_EmptyBytes_ThrowsInvalidProtobuf()
    {
        var e = Assert.Throws<OnnxRuntimeException>(() => OnnxSession.Load(ReadOnlySpan<byte>.Empty, "empty"));
        Assert.Equal(OnnxErrorCode.InvalidProtobuf, e.ErrorCode);
    }

    [Theory]
    [InlineData(float.NaN, "NaN")]
    [InlineData(float.PositiveInfinity, "+Infinity")]
    [InlineData(float.NegativeInfinity, "-Infinity")]
    public void Run_NonFiniteInput_ThrowsInputExceptionNamingInputAndElement(float value, string described)
    {
        var testCase = NodeTestCase.Load("test_matmul_4d");
        using var session = OnnxSession.Load(testCase.ModelPath, new OnnxSessionOptions { ModelId = "matmul" });
        var inputs = testCase.NamedInputs(session);
        var a = inputs[0].Tensor.As<float>();
        var kept = a[17];
        a[17] = value;
        try
        {
            var e = Assert.Throws<OnnxInputException>(() => session.Run(inputs));
            Assert.Equal(inputs[0].Name, e.InputName);
            Assert.Equal("matmul", e.ModelId);
            Assert.Contains($"element 17 of float32[1,2,3,4] is {described}", e.Message);
        }
        finally
        {
            a[17] = kept;
        }
        // The session keeps serving good input.
        using var ok = session.Run(inputs);
        var got = ok[0].Tensor.As<float>().ToArray();
        Assert.Equal(testCase.Outputs[0].Data.Length, got.Length);
        Assert.All(got.Zip(testCase.Outputs[0].Data), p => Assert.InRange(Math.Abs(p.First - p.Second), 0, 1e-5));
    }

    [Fact]
    public void Run_NonFiniteInputAllowedByOption_PropagatesToTheOutput()
    {
        var testCase = NodeTestCase.Load("test_matmul_4d");
        using var session = OnnxSession.Load(testCase.ModelPath, new OnnxSessionOptions { RejectNonFiniteInputs = false });
        var inputs = testCase.NamedInputs(session);
        var a = inputs[0].Tensor.As<float>();
        var kept = a[0];
        a[0] = float.NaN;
        try
        {
            using var result = session.Run(inputs);
            Assert.Contains(result[0].Tensor.As<float>().ToArray(), float.IsNaN);
        }
        finally
        {
            a[0] = kept;
        }
    }

    [Fact]
    public void Run_WrongShape_ThrowsInputExceptionNamingInputAndBothShapes()
    {
        using var session = OnnxSession.Load(SharedAssets.Model("ultraface_version-RFB-320.onnx"));
        using var wrong = DenseTensor<float>.Allocate(new TensorShape(1, 3, 240, 321));
        var e = Assert.Throws<OnnxInputException>(() => session.Run("input", wrong));
        Assert.Equal("input", e.InputName);
        Assert.Equal("ultraface_version-RFB-320", e.ModelId);
        Assert.Contains("[1,3,240,320]", e.Message);
        Assert.Contains("[1,3,240,321]", e.Message);
    }

    [Fact]
    public void Run_WrongRank_ThrowsInputException()
    {
        using var session = OnnxSession.Load(SharedAssets.Model("pfld_68pt_112x112.onnx"));
        using var wrong = DenseTensor<float>.Allocate(new TensorShape(3, 112, 112));
        var e = Assert.Throws<OnnxInputException>(() => session.Run(session.Inputs[0].Name, wrong));
        Assert.Contains("rank 4", e.Message);
    }

    [Fact]
    public void Run_WrongElementType_ThrowsInputExceptionNamingBothTypes()
    {
        using var session = OnnxSession.Load(SharedAssets.Model("ultraface_version-RFB-320.onnx"));
        using var wrong = DenseTensor<long>.Allocate(new TensorShape(1, 3, 240, 320));
        var e = Assert.Throws<OnnxInputException>(() => session.Run("input", wrong));
        Assert.Contains("float32", e.Message);
        Assert.Contains("int64", e.Message);
    }

    [Fact]
    public void Run_UnknownOrMissingInput_ThrowsInputExceptionListingModelInputs()
    {
        var testCase = NodeTestCase.Load("test_matmul_4d");
        using var session = OnnxSession.Load(testCase.ModelPath, new OnnxSessionOptions { ModelId = "matmul" });
        var a = testCase.Inputs[0].Tensor;
        var b = testCase.Inputs[1].Tensor;

        var unknown = Assert.Throws<OnnxInputException>(() => session.Run([new("a", a), new("B", b)]));
        Assert.Equal("B", unknown.InputName);
        var missing = Assert.Throws<OnnxInputException>(() => session.Run([new NamedTensor("a", a)]));
        Assert.Equal("b", missing.InputName);
        var twice = Assert.Throws<OnnxInputException>(() => session.Run([new("a", a), new("a", a)]));
        Assert.Contains("twice", twice.Message);
    }

    [Fact]
    public void Run_ShapeRejectedInsideOrt_ThrowsWithOrtMessageModelIdAndInputShapes()
    {
        // Symbolic dimensions pass Vigil's check; MatMul's inner dimensions then disagree inside ORT.
        var model = new TinyOnnxModel()
            .Node("MatMul", ["a", "b"], ["c"])
            .Input("a", 1, "n", "k")
            .Input("b", 1, "k2", 3)
            .Output("c", 1, "n", 3)
            .Build();
        using var session = OnnxSession.Load(model, "tiny-matmul");
        using var a = DenseTensor<float>.Allocate(new TensorShape(2, 4));
        using var b = DenseTensor<float>.Allocate(new TensorShape(5, 3));

        var e = Assert.Throws<OnnxRuntimeException>(() => session.Run([new("a", a), new("b", b)]));
        Assert.Equal("tiny-matmul", e.ModelId);
        Assert.False(string.IsNullOrWhiteSpace(e.RuntimeMessage));
        Assert.Contains("a: float32[2,4]", e.Message);
        Assert.Contains("b: float32[5,3]", e.Message);

        // The session keeps serving after a failed request.
        using var good = DenseTensor<float>.Allocate(new TensorShape(4, 3));
        a.Span.Fill(1);
        good.Span.Fill(2);
        using var result = session.Run([new("a", a), new("b", good)]);
        Assert.All(result.Get<float>("c").ToArray(), v => Assert.Equal(8f, v));
    }

    [Fact]
    public void Run_AfterDispose_ThrowsObjectDisposed()
    {
        var session = OnnxSession.Load(SharedAssets.Model("ultraface_version-RFB-320.onnx"));
        session.Dispose();
        using var input = DenseTensor<float>.Allocate(new TensorShape(1, 3, 240, 320));
        Assert.Throws<ObjectDisposedException>(() => session.Run("input", input));
    }

    [Fact]
    public void Load_UnknownExecutionProvider_ThrowsArgumentException()
    {
        var e = Assert.Throws<ArgumentException>(() => OnnxSession.Load(SharedAssets.Model("ultraface_version-RFB-320.onnx"),
            new OnnxSessionOptions { ExecutionProviders = ["TPU"] }));
        Assert.Contains("TPU", e.Message);
    }

    [Fact]
    public async Task RunAsync_AlreadyCancelled_ThrowsOperationCanceled()
    {
        using var session = OnnxSession.Load(SharedAssets.Model("ultraface_version-RFB-320.onnx"));
        using var input = DenseTensor<float>.Allocate(new TensorShape(1, 3, 240, 320));
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            session.RunAsync(new Dictionary<string, Tensor> { ["input"] = input }, cancellation: cts.Token));
    }
}
