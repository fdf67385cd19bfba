using System.Text.Json.Nodes;
using TorchSharp;
using Vigil.Infrared.Faces;
using Vigil.Infrared.Training.Faces;
using Vigil.Models.Cards;
using Vigil.Models.Catalog;
using Vigil.Models.OnnxBuilder;
using Vigil.Models.Training;
using Vigil.Models.Training.OnnxImport;
using Vigil.Tests.Common;
using static TorchSharp.torch;

namespace Vigil.Infrared.Tests.Faces;

public sealed class ThermalFacePassesTests : IDisposable
{
    private static string ShippedCard => Path.Combine(SharedData.RepositoryRoot, "models", "ir-face-centernet", "ir-face-centernet.card.json");
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "vigil-irpasses-" + Guid.NewGuid().ToString("N"));

    public ThermalFacePassesTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // The shipped card and its file copied to the temp folder, its postprocessing parameters replaced.
    private string CardWith(Dictionary<string, double> parameters, byte[]? onnx = null)
    {
        var source = Path.GetDirectoryName(ShippedCard)!;
        var json = JsonNode.Parse(File.ReadAllText(ShippedCard))!;
        var bytes = onnx ?? File.ReadAllBytes(Path.Combine(source, (string)json["file"]!));
        File.WriteAllBytes(Path.Combine(_dir, "m.onnx"), bytes);
        json["file"] = "m.onnx";
        json["sha256"] = ModelFileHash.Sha256Of(bytes);
        var p = new JsonObject();
        foreach (var (k, v) in parameters) p[k] = v;
        json["postprocessing"]!["parameters"] = p;
        json["postprocessing"]!.AsObject().Remove("members"); // the card's own file alone
        var path = Path.Combine(_dir, "m.card.json");
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }

    private static List<ChipsImage> TestImages(int count) =>
        ChipsDataset.Load(SharedData.Require("data/thermal-faces/chips")).Part(ChipsPart.Test).Where(i => i.Faces.Count > 0).Take(count).ToList();

    [Fact]
    public void Open_CardWithUpscale_AddsTheUpscaledPassAndAWidthLimitOfZeroGivesOnePass()
    {
        var baseParameters = new Dictionary<string, double> { ["score_threshold"] = 0.3, ["nms_iou_threshold"] = 0.3 };
        using var single = ThermalFaceDetector.Open(CardWith(baseParameters));
        Assert.Equal(ThermalFacePasses.Single, single.Passes);
        using var two = ThermalFaceDetector.Open(CardWith(new(baseParameters) { ["upscale"] = 2 }));
        Assert.Equal(2, two.Passes.Upscale);
        Assert.Contains("x2", two.Name);
        using var none = ThermalFaceDetector.Open(CardWith(new(baseParameters) { ["upscale"] = 2, ["upscale_max_width"] = 0.01 }));
        var differs = 0;
        foreach (var image in TestImages(12))
        {
            using var bgr = ChipsDataset.ReadImage(image.Path);
            var a = single.Detect(bgr, 0.1f);
            Assert.Equal(a, none.Detect(bgr, 0.1f)); // the second pass contributes nothing when no box is narrow enough
            var b = two.Detect(bgr, 0.1f);
            Assert.All(b, f => Assert.InRange(f.X + f.Width / 2, -1, bgr.Width + 1));
            if (!a.SequenceEqual(b)) differs++;
        }
        Assert.True(differs > 0, "the x2 pass changed no image's detections");
    }

    [Fact]
    public void Open_UpscaleOnAFixedSizeModel_FailsNamingTheParameter()
    {
        var fixedSize = new OnnxModelBuilder("fixed")
            .Input("image", OnnxDataType.Float, "N", 3, 120, 160)
            .Output("map", OnnxDataType.Float, "N", 5, 30, 40)
            .Initializer("w", [5, 3, 4, 4], new float[5 * 3 * 16])
            .Node("Conv", ["image", "w"], ["map"], OnnxAttribute.Ints("kernel_shape", 4, 4), OnnxAttribute.Ints("strides", 4, 4))
            .Build();
        var e = Assert.Throws<ModelCardException>(() => ThermalFaceDetector.Open(CardWith(new() { ["score_threshold"] = 0.3, ["upscale"] = 2 }, fixedSize)));
        Assert.Contains("upscale", e.Message);
        Assert.Contains("fixed input size", e.Message);
        using var fine = ThermalFaceDetector.Open(CardWith(new() { ["score_threshold"] = 0.3 }, fixedSize)); // one pass needs no symbolic size
        Assert.Equal(1, fine.Passes.Upscale);
    }

    [Theory]
    [InlineData(0.5, 16)]
    [InlineData(9, 16)]
    [InlineData(2, -1)]
    public void Open_PassSettingOutOfRange_Fails(double upscale, double maxWidth)
    {
        var e = Assert.Throws<ModelCardException>(() => ThermalFaceDetector.Open(CardWith(new() { ["score_threshold"] = 0.3, ["upscale"] = upscale, ["upscale_max_width"] = maxWidth })));
        Assert.Contains("upscale", e.Message);
    }

    [Fact]
    public void ToOnnx_ReadBackGraph_WritesTheSameBytes()
    {
        TorchDeterminism.Seed(7);
        using var module = new ThermalFaceModule();
        using (no_grad())
            module.forward(randn(2, 3, 40, 48)).Dispose();
        module.eval();
        var bytes = ThermalFaceOnnxExport.ToOnnx(module, 48, 40);
        var path = Path.Combine(_dir, "export.onnx");
        File.WriteAllBytes(path, bytes);
        Assert.Equal(bytes, ThermalFaceOnnxExport.ToOnnx(OnnxGraph.Read(path)));
    }

    [Fact]
    public void Choose_ShippedCardOnValidation_ReproducesTheCardsPassesAndThreshold()
    {
        var card = ModelCardReader.Read(ShippedCard);
        var validation = ChipsDataset.Load(SharedData.Require("data/thermal-faces/chips")).Part(ChipsPart.Validation);
        var flip = ThermalFaceDetector.PassesOf(card).Flip;
        var choice = ThermalFaceCalibration.Choose(ShippedCard, validation, [.. ThermalFacePasses.Candidates.Select(c => c with { Flip = flip })], TextWriter.Null);
        Assert.Equal(ThermalFaceDetector.PassesOf(card), choice.Passes);
        // The card stores the threshold to 4 decimals.
        Assert.Equal(card.Postprocessing!.Parameters["score_threshold"], choice.Threshold, 1e-4);
        Assert.True(choice.Validation.Precision >= ThermalFaceCalibration.TargetPrecision, $"validation precision {choice.Validation.Precision:F3}");
        Assert.Equal(card.Training!.Metrics["validation_recall"], choice.Validation.Recall, 3);
    }
}
