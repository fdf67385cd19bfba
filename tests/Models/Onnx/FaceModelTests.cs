using System.Text.Json;
using Vigil.Models.Onnx;
using Vigil.Models.Tensors;

namespace Vigil.Models.Tests.Onnx;

/// <summary>
/// UltraFace, YuNet and PFLD on the stored sample faces, checked against
/// expected/face_models_expected.json (raw outputs within 1e-4, boxes IoU ≥ 0.9, landmarks ≤ 2 px).
/// </summary>
public sealed class FaceModelTests
{
    private const double RawTolerance = 1e-4;
    private static readonly OnnxSessionOptions OneThread = new() { IntraOpThreads = 1 };

    [Theory]
    [InlineData("headpose011")]
    [InlineData("walking030")]
    public void Run_UltraFaceOnStoredInput_MatchesRawOutputsAndDetections(string tag)
    {
        using var session = OnnxSession.Load(SharedAssets.Model("ultraface_version-RFB-320.onnx"), OneThread);
        var input = SharedAssets.ReadFloats(SharedAssets.Expected($"ultraface_input_{tag}.bin"));
        using var tensor = DenseTensor<float>.Wrap(input, 1, 3, 240, 320);
        using var result = session.Run("input", tensor);

        var scores = result.Get<float>("scores");
        var boxes = result.Get<float>("boxes");
        Assert.Equal(new TensorShape(1, 4420, 2), scores.Shape);
        Assert.Equal(new TensorShape(1, 4420, 4), boxes.Shape);
        Assert.InRange(FaceDecoding.MaxAbsDiff(scores.Span, SharedAssets.ReadFloats(SharedAssets.Expected($"ultraface_out_{tag}_scores.bin"))), 0, RawTolerance);
        Assert.InRange(FaceDecoding.MaxAbsDiff(boxes.Span, SharedAssets.ReadFloats(SharedAssets.Expected($"ultraface_out_{tag}_boxes.bin"))), 0, RawTolerance);

        var faces = FaceDecoding.UltraFace(scores.Span, boxes.Span, 480, 270);
        FaceDecoding.AssertMatches(FaceDecoding.Expected("ultraface", tag), faces);
    }

    [Theory]
    [InlineData("headpose011", "faces/intel_headpose_female_frame011.png")]
    [InlineData("walking030", "faces/intel_face_demographics_walking_frame030.png")]
    public void Run_YuNetOnRebuiltInput_MatchesDetectionsAndLandmarks(string tag, string image)
    {
        using var session = OnnxSession.Load(SharedAssets.Model("yunet_s_640_640.onnx"), OneThread);
        Assert.Equal(12, session.Outputs.Count);
        using var input = YuNetInput(image);
        using var result = session.Run(session.Inputs[0].Name, input);

        if (tag == "headpose011")
            foreach (var (name, output) in result)
            {
                var expected = SharedAssets.ReadFloats(SharedAssets.Expected($"yunet_raw_headpose011/yunet_out_headpose011_{name}.bin"));
                Assert.InRange(FaceDecoding.MaxAbsDiff(output.As<float>().Span, expected), 0, RawTolerance);
            }

        var faces = FaceDecoding.YuNet(name => result.Get<float>(name).ToArray());
        FaceDecoding.AssertMatches(FaceDecoding.Expected("yunet", tag), faces);
    }

    [Fact]
    public void Run_PfldOnStoredCrop_MatchesRawOutputAnd68LandmarksWithin2Px()
    {
        using var session = OnnxSession.Load(SharedAssets.Model("pfld_68pt_112x112.onnx"), OneThread);
        var input = SharedAssets.ReadFloats(SharedAssets.Expected("pfld_input_headpose011.bin"));
        using var result = session.Run(session.Inputs[0].Name, DenseTensor<float>.Wrap(input, 1, 3, 112, 112));
        var output = result[0].Tensor.As<float>();
        Assert.Equal(new TensorShape(1, 136), output.Shape);
        Assert.InRange(FaceDecoding.MaxAbsDiff(output.Span, SharedAssets.ReadFloats(SharedAssets.Expected("pfld_out_headpose011_output.bin"))), 0, RawTolerance);

        // Map the normalised points back through the crop box and compare with the stored 68 points.
        using var recipe = JsonDocument.Parse(File.ReadAllText(SharedAssets.Expected("pfld_input_headpose011.json")));
        var crop = recipe.RootElement.GetProperty("crop_box_xyxy_in_source").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        using var expected = JsonDocument.Parse(File.ReadAllText(SharedAssets.Expected("face_models_expected.json")));
        var points = expected.RootElement.EnumerateObject().First(p => p.Name.StartsWith("pfld", StringComparison.Ordinal)).Value
            .GetProperty("landmarks68_xy_in_source").EnumerateArray().Select(p => (X: p[0].GetSingle(), Y: p[1].GetSingle())).ToArray();
        Assert.Equal(68, points.Length);
        for (var j = 0; j < 68; j++)
        {
            var x = crop[0] + output[2 * j] * (crop[2] - crop[0]);
            var y = crop[1] + output[2 * j + 1] * (crop[3] - crop[1]);
            var d = MathF.Sqrt((x - points[j].X) * (x - points[j].X) + (y - points[j].Y) * (y - points[j].Y));
            Assert.True(d <= 2f, $"landmark {j}: ({x:F1},{y:F1}) vs ({points[j].X},{points[j].Y}), {d:F2} px");
        }
    }

    [Fact]
    public void Run_PfldBatchOfThree_RowZeroBitIdenticalToSingleRun()
    {
        using var session = OnnxSession.Load(SharedAssets.Model("pfld_68pt_112x112.onnx"), OneThread);
        Assert.False(session.Inputs[0].Dimensions[0].IsFixed);
        var single = SharedAssets.ReadFloats(SharedAssets.Expected("pfld_input_headpose011.bin"));
        var n = single.Length;
        using var batch = DenseTensor<float>.Allocate(new TensorShape(3, 3, 112, 112));
        single.CopyTo(batch.Span);
        for (var i = 0; i < n; i++)
        {
            batch[n + i] = single[n - 1 - i];      // a different face-sized pattern in row 1
            batch[2 * n + i] = single[i] * 0.5f;   // a darker copy in row 2
        }
        var name = session.Inputs[0].Name;
        using var one = session.Run(name, DenseTensor<float>.Wrap(single, 1, 3, 112, 112));
        using var three = session.Run(name, batch);

        var rowsOut = three[0].Tensor.As<float>();
        Assert.Equal(new TensorShape(3, 136), rowsOut.Shape);
        var singleOut = one[0].Tensor.As<float>().Span;
        for (var i = 0; i < 136; i++)
            Assert.Equal(BitConverter.SingleToInt32Bits(singleOut[i]), BitConverter.SingleToInt32Bits(rowsOut[i]));
        Assert.False(rowsOut.Span.Slice(136, 136).SequenceEqual(singleOut), "row 1 had other data and must differ");
    }

    /// <summary>The YuNet recipe: BGR 0..255 as float, pasted top-left into a 640×640 zero canvas, NCHW.</summary>
    internal static DenseTensor<float> YuNetInput(string image)
    {
        const int w = 480, h = 270, size = 640;
        var bgr = SharedAssets.DecodeBgr(Vigil.Tests.Common.SharedData.Require("assets/" + image), w, h);
        var tensor = DenseTensor<float>.Allocate(new TensorShape(1, 3, size, size));
        var span = tensor.Span;
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
                for (var c = 0; c < 3; c++)
                    span[c * size * size + y * size + x] = bgr[(y * w + x) * 3 + c];
        return tensor;
    }
}
