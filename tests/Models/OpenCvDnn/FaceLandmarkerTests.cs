using System.Text.Json;
using System.Text.Json.Nodes;
using OpenCvSharp;
using Vigil.Models.Cards;
using Vigil.Models.Catalog;
using Vigil.Models.Onnx;
using Vigil.Models.Runtimes;
using Vigil.Models.Tensors;
using Vigil.Models.Tests.Catalog;
using Vigil.Models.Tests.Onnx;
using Vigil.Tests.Common;
using Xunit.Abstractions;

namespace Vigil.Models.Tests.OpenCvDnn;

/// <summary>
/// The MediaPipe face landmarker card run through OpenCV DNN as one pipeline (detector, 478
/// landmarks, 52 blendshapes), checked against what ../shared/assets/MANIFEST.md and
/// expected/face_models_expected.json document for the headpose011 frame: one face, the box
/// UltraFace finds, landmarks where PFLD puts the same anatomical points.
/// </summary>
public sealed class FaceLandmarkerTests(ITestOutputHelper output) : IDisposable
{
    private static string CardPath => Path.Combine(TempCardFolder.ShippedModels, "face", "mediapipe-face-landmarker.card.json");

    private static ModelCatalogOptions Options => new()
    {
        PathVariables = new Dictionary<string, string> { ["VIGIL_SHARED"] = SharedData.Root },
    };

    private readonly ModelCatalog _catalog = new(Options);

    public void Dispose() => _catalog.Dispose();

    private static DenseTensor<byte> ReadRgb(string relative)
    {
        using var bgr = Cv2.ImRead(SharedData.Require(relative), ImreadModes.Color);
        Assert.False(bgr.Empty(), $"OpenCV could not decode {relative}");
        using var rgb = new Mat();
        Cv2.CvtColor(bgr, rgb, ColorConversionCodes.BGR2RGB);
        var pixels = new byte[rgb.Rows * rgb.Cols * 3];
        System.Runtime.InteropServices.Marshal.Copy(rgb.Data, pixels, 0, pixels.Length);
        return DenseTensor<byte>.Wrap(pixels, 1, rgb.Rows, rgb.Cols, 3);
    }

    [Fact]
    public void Check_ShippedCard_VerifiesTaskFileStagesAndSignature()
    {
        SharedData.Require("assets/models/mediapipe_face_landmarker.task");
        var card = ModelCatalog.Check(CardPath, Options);
        Assert.Equal(ModelRuntimeNames.OpenCvDnn, card.Runtime);
        Assert.Equal(["detector", "landmarks", "blendshapes"], card.Stages.Select(s => s.Name));
        Assert.Equal(146, card.Stages[2].Indices.Count);
        Assert.Equal(52, card.Labels.Count);
        Assert.True(card.NotForClinicalUse);
    }

    [Fact]
    public void Run_Headpose011_FindsTheFaceUltraFaceFindsWithLandmarksWherePfldPutsThem()
    {
        using var lease = _catalog.Load(CardPath) is { } loaded ? _catalog.Acquire(loaded.Card.Id) : null;
        Assert.NotNull(lease);
        Assert.Equal("opencv-dnn", lease.Session.Runtime);
        using var image = ReadRgb("assets/faces/intel_headpose_female_frame011.png");
        using var result = lease.Session.Run("image", image);

        var box = result.Get<float>("face_box");
        Assert.Equal(new TensorShape(1, 4), box.Shape);
        var expected = Expected();
        var ultraFace = expected["ultraface_version-RFB-320"]!["detections"]!["headpose011"]![0]!["box_xyxy"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray();
        var iou = IoU(box.ToArray(), ultraFace);
        var score = result.Get<float>("face_score")[0];
        var presence = result.Get<float>("face_presence")[0];
        output.WriteLine($"box [{string.Join(", ", box.ToArray().Select(v => v.ToString("F1")))}] IoU vs UltraFace {iou:F3}, score {score:F3}, presence {presence:F3}");
        Assert.True(iou >= 0.6, $"IoU with UltraFace's box {iou:F3}");
        Assert.InRange(score, 0.5f, 1f);
        Assert.InRange(presence, 0.9f, 1f);

        // Same anatomical points in MediaPipe's mesh and iBUG-68 (PFLD): eye corners, nose tip, mouth corners, chin.
        var landmarks = result.Get<float>("landmarks");
        Assert.Equal(new TensorShape(1, 478, 3), landmarks.Shape);
        var pfld = expected["pfld_68pt_112x112"]!["landmarks68_xy_in_source"]!.AsArray()
            .Select(p => (X: p![0]!.GetValue<float>(), Y: p[1]!.GetValue<float>())).ToArray();
        (int Mesh, int Ibug)[] pairs = [(33, 36), (133, 39), (362, 42), (263, 45), (1, 30), (61, 48), (291, 54), (152, 8)];
        var faceSize = ultraFace[3] - ultraFace[1];
        foreach (var (mesh, ibug) in pairs)
        {
            var dx = landmarks[mesh * 3] - pfld[ibug].X;
            var dy = landmarks[mesh * 3 + 1] - pfld[ibug].Y;
            var d = MathF.Sqrt(dx * dx + dy * dy);
            output.WriteLine($"mesh {mesh} vs iBUG {ibug}: {d:F1} px ({d / faceSize:P1} of the face height)");
            Assert.True(d <= 0.06f * faceSize, $"mesh point {mesh} is {d:F1} px from PFLD's iBUG point {ibug} (face height {faceSize:F0} px)");
        }

        var blend = result.Get<float>("blendshapes");
        Assert.Equal(new TensorShape(1, 52), blend.Shape);
        Assert.All(blend.ToArray(), v => Assert.InRange(v, 0f, 1f));
        var labels = lease.Card.Labels;
        float Score(string name) => blend[labels.ToList().IndexOf(name)];
        output.WriteLine(string.Join(", ", labels.Select((l, i) => $"{l} {blend[i]:F2}").Where((_, i) => blend[i] > 0.1f)));
        // An open-eyed face with a closed mouth (the frame shows both).
        Assert.True(Score("eyeBlinkLeft") < 0.5f && Score("eyeBlinkRight") < 0.5f, "eyes are open in this frame");
        Assert.True(Score("jawOpen") < 0.5f, "the mouth is closed in this frame");
    }

    [Fact]
    public void Run_ImageWithoutAFace_WithholdsTheResult()
    {
        using var lease = _catalog.Load(CardPath) is { } loaded ? _catalog.Acquire(loaded.Card.Id) : null;
        using var black = DenseTensor<byte>.Allocate(new TensorShape(1, 240, 320, 3));
        using var result = lease!.Session.Run("image", black);
        Assert.Equal(new TensorShape(0, 4), result.Get<float>("face_box").Shape);
        Assert.Equal(new TensorShape(0, 478, 3), result.Get<float>("landmarks").Shape);
        Assert.Equal(new TensorShape(0, 52), result.Get<float>("blendshapes").Shape);
    }

    [Fact]
    public void Run_WrongInput_NamesTheInputAndWhatIsWrong()
    {
        using var lease = _catalog.Load(CardPath) is { } loaded ? _catalog.Acquire(loaded.Card.Id) : null;
        using var floats = DenseTensor<float>.Allocate(new TensorShape(1, 64, 64, 3));
        var e = Assert.Throws<OnnxInputException>(() => lease!.Session.Run("image", floats));
        Assert.Equal("image", e.InputName);
        Assert.Contains("expects uint8, got float32", e.Message);
        using var gray = DenseTensor<byte>.Allocate(new TensorShape(1, 64, 64, 1));
        e = Assert.Throws<OnnxInputException>(() => lease!.Session.Run("image", gray));
        Assert.Contains("dimension 3 must be 3", e.Message);
        e = Assert.Throws<OnnxInputException>(() => lease!.Session.Run("pixels", gray));
        Assert.Equal("pixels", e.InputName);
    }

    [Fact]
    public void Check_StageChecksumTampered_IsRefusedNamingTheStage()
    {
        using var folder = new TempCardFolder();
        var card = JsonNode.Parse(File.ReadAllText(CardPath))!.AsObject();
        card["file"] = SharedData.Require("assets/models/mediapipe_face_landmarker.task");
        card["stages"]![1]!["sha256"] = new string('0', 64);
        var path = Path.Combine(folder.Path, "tampered.card.json");
        File.WriteAllText(path, card.ToJsonString());
        var e = Assert.Throws<ModelCardMismatchException>(() => ModelCatalog.Check(path, Options));
        Assert.Equal("stages[landmarks].sha256", e.Field);
        Assert.Equal("c7d54204ce0448474c7f3fa9af494787c0965cbdd6f20fc72867e43046bd43d5", e.FileValue);
    }

    [Fact]
    public void Check_TaskFileAbsent_IsReportedAsAbsentNotAsAMismatch()
    {
        using var folder = new TempCardFolder();
        var options = new ModelCatalogOptions { PathVariables = new Dictionary<string, string> { ["VIGIL_SHARED"] = folder.Path } };
        var e = Assert.Throws<ModelFileMissingException>(() => ModelCatalog.Check(CardPath, options));
        Assert.Contains("mediapipe_face_landmarker.task", e.Message);
        Assert.Contains("not present on this machine", e.Message);
        Assert.Contains("gshabbir790/aicamera", e.Message);
    }

    private static JsonNode Expected() =>
        JsonNode.Parse(File.ReadAllText(SharedAssets.Expected("face_models_expected.json")))!;

    private static float IoU(float[] a, float[] b)
    {
        var ix = Math.Max(0, Math.Min(a[2], b[2]) - Math.Max(a[0], b[0]));
        var iy = Math.Max(0, Math.Min(a[3], b[3]) - Math.Max(a[1], b[1]));
        var inter = ix * iy;
        return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter);
    }
}
