using Vigil.Models.Onnx;
using Vigil.Models.Tensors;

namespace Vigil.Models.Tests.Onnx;

/// <summary>Metadata, element types, several inputs/outputs, concurrency and options of the binding.</summary>
public sealed class OnnxSessionBindingTests
{
    [Fact]
    public void OrtError_FromOfficialBinding_KeepsCodeAndMessage()
    {
        // The binding writes ORT's code as "[ErrorCode:Name]" in front of the message.
        using var session = OnnxSession.Load(NodeTestCase.Load("test_matmul_4d").ModelPath);
        var e = Assert.Throws<OnnxRuntimeException>(() => OnnxSession.Load([1, 2, 3, 4, 5], "five-bytes"));
        Assert.Equal(OnnxErrorCode.InvalidProtobuf, e.ErrorCode);
        Assert.DoesNotContain("[ErrorCode:", e.RuntimeMessage);
        Assert.Contains("five-bytes", e.Message);
        Assert.IsType<Microsoft.ML.OnnxRuntime.OnnxRuntimeException>(e.InnerException);
    }

    [Fact]
    public void RuntimeInfo_NuGetPackage_Is132WithCpuProvider()
    {
        Assert.Equal("1.32.0", OnnxRuntimeInfo.Version);
        Assert.Contains("CPUExecutionProvider", OnnxRuntimeInfo.AvailableProviders);
        Assert.StartsWith("Microsoft.ML.OnnxRuntime", OnnxRuntimeInfo.Package);
        Assert.EndsWith("1.32.0", OnnxRuntimeInfo.Package);
    }

    [Fact]
    public void ParseProviders_EnvironmentStyleList_NormalisesNames()
    {
        Assert.Equal(["CUDA", "CPU"], OnnxSessionOptions.ParseProviders(" cuda, cpu "));
        Assert.Equal(["CPU"], OnnxSessionOptions.ParseProviders(null));
        Assert.Equal(["CPU"], OnnxSessionOptions.ParseProviders(""));
    }

    [Fact]
    public void Metadata_UltraFace_ReportsNamesTypesAndFixedShapes()
    {
        using var session = OnnxSession.Load(SharedAssets.Model("ultraface_version-RFB-320.onnx"));
        var input = Assert.Single(session.Inputs);
        Assert.Equal("input", input.Name);
        Assert.Equal(TensorElementType.Float32, input.ElementType);
        Assert.Equal(new TensorShape(1, 3, 240, 320), input.FixedShape);
        Assert.Equal(["scores", "boxes"], session.Outputs.Select(o => o.Name));
        Assert.Equal("[1,4420,4]", session.Output("boxes").ShapeText);
        Assert.Equal(["CPU"], session.ExecutionProviders);
        Assert.Null(session.FallbackReason);
    }

    [Fact]
    public void Metadata_DynamicYuNet_ReportsSymbolicDimensions()
    {
        using var session = OnnxSession.Load(SharedAssets.Model("yunet_s_dynamic.onnx"));
        var dims = session.Inputs[0].Dimensions;
        Assert.Equal(4, dims.Count);
        Assert.False(dims[0].IsFixed);
        Assert.Equal(3, dims[1].Size);
        Assert.False(dims[2].IsFixed);
        Assert.False(dims[3].IsFixed);
        Assert.Null(session.Inputs[0].FixedShape);
    }

    [Fact]
    public void Run_TypedTinyModel_BindsFloat16Int32UInt8BoolWithSymbolicBatch()
    {
        var model = new TinyOnnxModel()
            .Node("Cast", ["h"], ["h_as_f32"], ("to", 1))
            .Node("Add", ["i", "i"], ["i_twice"])
            .Node("Add", ["u", "u"], ["u_twice"])
            .Node("Not", ["flag"], ["not_flag"])
            .Input("h", 10, "batch", 2)
            .Input("i", 6, "batch", 2)
            .Input("u", 2, "batch", 2)
            .Input("flag", 9, "batch", 2)
            .Output("h_as_f32", 1, "batch", 2)
            .Output("i_twice", 6, "batch", 2)
            .Output("u_twice", 2, "batch", 2)
            .Output("not_flag", 9, "batch", 2)
            .Build();
        using var session = OnnxSession.Load(model, "typed");
        Assert.Equal("batch", session.Inputs[0].Dimensions[0].Symbol);
        Assert.Equal([TensorElementType.Float16, TensorElementType.Int32, TensorElementType.UInt8, TensorElementType.Bool],
            session.Inputs.Select(i => i.ElementType));

        using var h = DenseTensor<Half>.Wrap([(Half)1.5f, (Half)(-2f), (Half)0.25f, (Half)65504f, (Half)0f, (Half)3f], 3, 2);
        using var i = DenseTensor<int>.Wrap([1, -2, 3, int.MaxValue / 2, 0, 7], 3, 2);
        using var u = DenseTensor<byte>.Wrap([1, 2, 100, 200, 0, 127], 3, 2);
        using var flag = DenseTensor<bool>.Wrap([true, false, false, true, true, true], 3, 2);
        using var result = session.Run([new("flag", flag), new("u", u), new("i", i), new("h", h)]);

        Assert.Equal([1.5f, -2f, 0.25f, 65504f, 0f, 3f], result.Get<float>("h_as_f32").ToArray());
        Assert.Equal([2, -4, 6, int.MaxValue / 2 * 2, 0, 14], result.Get<int>("i_twice").ToArray());
        Assert.Equal([2, 4, 200, 144, 0, 254], result.Get<byte>("u_twice").ToArray()); // uint8 wraps: 400 mod 256 = 144
        Assert.Equal([false, true, true, false, false, false], result.Get<bool>("not_flag").ToArray());
        Assert.Equal(new TensorShape(3, 2), result["not_flag"].Shape);
    }

    [Fact]
    public void Run_Float16Output_IsReadAsHalf()
    {
        var model = new TinyOnnxModel()
            .Node("Cast", ["x"], ["y"], ("to", 10))
            .Input("x", 1, 3)
            .Output("y", 10, 3)
            .Build();
        using var session = OnnxSession.Load(model, "to-half");
        using var result = session.Run("x", DenseTensor<float>.Wrap([0.5f, 1000f, -3.25f], 3));
        Assert.Equal([(Half)0.5f, (Half)1000f, (Half)(-3.25f)], result.Get<Half>("y").ToArray());
    }

    [Fact]
    public void Run_WrappedCallerMemory_ReadsCurrentContentsEachRun()
    {
        var model = new TinyOnnxModel().Node("Neg", ["x"], ["y"]).Input("x", 1, 4).Output("y", 1, 4).Build();
        using var session = OnnxSession.Load(model, "neg");
        var buffer = new float[] { 1, 2, 3, 4 };
        using var x = DenseTensor<float>.Wrap(buffer, 4);
        using (var r1 = session.Run("x", x)) Assert.Equal([-1f, -2f, -3f, -4f], r1.Get<float>("y").ToArray());
        buffer[2] = 10; // the tensor is a view over the caller's array, not a copy
        using var r2 = session.Run("x", x);
        Assert.Equal([-1f, -2f, -10f, -4f], r2.Get<float>("y").ToArray());
    }

    [Fact]
    public void Run_EmptyBatch_ReturnsEmptyOutputOfRightShape()
    {
        var model = new TinyOnnxModel().Node("Neg", ["x"], ["y"]).Input("x", 1, "batch", 2).Output("y", 1, "batch", 2).Build();
        using var session = OnnxSession.Load(model, "neg-empty");
        using var x = DenseTensor<float>.Allocate(new TensorShape(0, 2));
        using var result = session.Run("x", x);
        Assert.Equal(new TensorShape(0, 2), result["y"].Shape);
    }

    [Fact]
    public void Run_SubsetOfOutputs_ReturnsOnlyThoseInRequestedOrder()
    {
        var testCase = NodeTestCase.Load("test_layer_normalization_3d_axis_negative_1_epsilon");
        using var session = OnnxSession.Load(testCase.ModelPath);
        Assert.Equal(3, session.Outputs.Count);
        using var result = session.Run(testCase.NamedInputs(session), ["InvStdDev", "Y"]);
        Assert.Equal(["InvStdDev", "Y"], result.Select(r => r.Name));
        Assert.Throws<KeyNotFoundException>(() => result["Mean"]);
    }

    [Fact]
    public async Task Run_ConcurrentCallers_GiveSameResultsAsSequentialRuns()
    {
        using var session = OnnxSession.Load(SharedAssets.Model("ultraface_version-RFB-320.onnx"), new OnnxSessionOptions { IntraOpThreads = 1 });
        var inputs = Enumerable.Range(0, 4).Select(k =>
        {
            var t = DenseTensor<float>.Allocate(new TensorShape(1, 3, 240, 320));
            var rng = new Random(k);
            for (var j = 0; j < t.Span.Length; j++) t.Span[j] = (float)(rng.NextDouble() * 2 - 1);
            return t;
        }).ToArray();
        var expected = inputs.Select(t => { using var r = session.Run("input", t); return r.Get<float>("scores").ToArray(); }).ToArray();

        var tasks = Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            for (var rep = 0; rep < 3; rep++)
            {
                var k = (worker + rep) % inputs.Length;
                using var r = session.Run("input", inputs[k]);
                Assert.Equal(expected[k], r.Get<float>("scores").ToArray());
            }
        }));
        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(60));
        foreach (var t in inputs) t.Dispose();
    }

    [Fact]
    public async Task RunAsync_SameInputs_EqualsSyncRun()
    {
        var testCase = NodeTestCase.Load("test_softmax_axis_2");
        using var session = OnnxSession.Load(testCase.ModelPath);
        using var sync = session.Run(testCase.NamedInputs(session));
        using var async = await session.RunAsync(testCase.NamedInputs(session)).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(sync.Get<float>("y").ToArray(), async.Get<float>("y").ToArray());
    }

    [Fact]
    public void Load_CudaRequestedWithoutGpu_FallsBackToCpuWithLoggedReason()
    {
        // Without a GPU (or CUDA libraries) both builds fall back: the CPU package has no CUDA
        // provider; the CUDA package fails to append it. On a GPU machine with the CUDA build,
        // the session runs on CUDA instead, with no fallback.
        var logged = new List<string>();
        var options = new OnnxSessionOptions { ExecutionProviders = ["CUDA", "CPU"], Log = logged.Add, IntraOpThreads = 1 };
        using var session = OnnxSession.Load(SharedAssets.Model("ultraface_version-RFB-320.onnx"), options);
        var onGpu = OnnxRuntimeInfo.Build == "cuda" && File.Exists("/dev/nvidia0");
        if (onGpu)
        {
            Assert.Equal(["CUDA", "CPU"], session.ExecutionProviders);
            Assert.Null(session.FallbackReason);
        }
        else
        {
            Assert.Equal(["CPU"], session.ExecutionProviders);
            Assert.NotNull(session.FallbackReason);
            Assert.Contains("CUDA", Assert.Single(logged));
            Assert.Contains("ultraface", logged[0]);
            Assert.Contains("running on CPU", logged[0]);
        }

        using var input = DenseTensor<float>.Wrap(SharedAssets.ReadFloats(SharedAssets.Expected("ultraface_input_headpose011.bin")), 1, 3, 240, 320);
        using var result = session.Run("input", input);
        Assert.InRange(FaceDecoding.MaxAbsDiff(result.Get<float>("scores").Span,
            SharedAssets.ReadFloats(SharedAssets.Expected("ultraface_out_headpose011_scores.bin"))), 0, onGpu ? 1e-3 : 1e-4);
    }

    [Fact]
    public void Run_DynamicBatchModel_WritesOutputsIntoPreallocatedTensors()
    {
        // PFLD's output [batch_size,136] takes its batch from the input: ORT writes into Vigil's pooled tensor.
        using var session = OnnxSession.Load(SharedAssets.Model("pfld_68pt_112x112.onnx"), new OnnxSessionOptions { IntraOpThreads = 1 });
        Assert.True(session.PreallocatesOutputs);
        using var input = DenseTensor<float>.Wrap(SharedAssets.ReadFloats(SharedAssets.Expected("pfld_input_headpose011.bin")), 1, 3, 112, 112);
        using var result = session.Run("input", input);
        var output = result.Get<float>("output");
        Assert.True(output.OwnsBuffer);
        Assert.InRange(FaceDecoding.MaxAbsDiff(output.Span, SharedAssets.ReadFloats(SharedAssets.Expected("pfld_out_headpose011_output.bin"))), 0, 1e-4);
    }

    [Fact]
    public void Load_OptimisationDisabledAndParallelExecution_GivesSameOutputsWithinTolerance()
    {
        var path = SharedAssets.Model("ultraface_version-RFB-320.onnx");
        using var input = DenseTensor<float>.Wrap(SharedAssets.ReadFloats(SharedAssets.Expected("ultraface_input_walking030.bin")), 1, 3, 240, 320);
        using var plain = OnnxSession.Load(path, new OnnxSessionOptions
        {
            GraphOptimizationLevel = OnnxGraphOptimizationLevel.Disabled, ParallelExecution = true, InterOpThreads = 2, IntraOpThreads = 1,
        });
        using var result = plain.Run("input", input);
        Assert.InRange(FaceDecoding.MaxAbsDiff(result.Get<float>("boxes").Span,
            SharedAssets.ReadFloats(SharedAssets.Expected("ultraface_out_walking030_boxes.bin"))), 0, 1e-4);
    }
}
