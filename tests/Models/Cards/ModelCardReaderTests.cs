using System.Text.Json.Nodes;
using Vigil.Models.Cards;
using Vigil.Models.Tests.Catalog;
using Vigil.Tests.Common;

namespace Vigil.Models.Tests.Cards;

public sealed class ModelCardReaderTests
{
    private static readonly Dictionary<string, string> Shared = new() { ["VIGIL_SHARED"] = SharedData.Root };

    [Fact]
    public void Read_ShippedUltraFaceCard_ParsesEverySection()
    {
        var card = ModelCardReader.Read(Path.Combine(TempCardFolder.ShippedModels, "face", "ultraface-rfb-320.card.json"), Shared);

        Assert.Equal("ultraface-rfb-320", card.Id);
        Assert.Equal(Path.Combine(SharedData.Root, "assets", "models", "ultraface_version-RFB-320.onnx"), card.ModelPath);
        var input = Assert.Single(card.Inputs);
        Assert.Equal([1L, 3, 240, 320], input.Shape.Select(d => d.Size));
        Assert.Equal(["scores", "boxes"], card.Outputs.Select(o => o.Name));
        Assert.Equal("NCHW", card.Preprocessing!.Layout);
        Assert.Equal([127.0, 127, 127], card.Preprocessing.Mean);
        Assert.Equal(0.7, card.Postprocessing!.Parameters["score_threshold"]);
        Assert.True(card.NotForClinicalUse);
        Assert.StartsWith("MIT", card.Origin!.Licence);
        Assert.Equal(new ModelProvenance("ultraface-rfb-320", "1.0.0", "34cd7e60aeff28744c657de7a3dc64e872d506741de66987f3426f2b79f88017"), card.Provenance);
    }

    [Fact]
    public void Read_SymbolicDimension_IsKeptAsASymbol()
    {
        var card = ModelCardReader.Read(Path.Combine(TempCardFolder.ShippedModels, "face", "pfld-68.card.json"), Shared);
        var batch = card.Inputs[0].Shape[0];
        Assert.False(batch.IsFixed);
        Assert.Equal("batch_size", batch.Symbol);
        Assert.Equal("[batch_size,3,112,112]", CardDimension.Format(card.Inputs[0].Shape));
    }

    [Theory]
    [InlineData("sha256", "abc", "sha256")]
    [InlineData("version", "", "version")]
    [InlineData("id", "Has Spaces", "id")]
    [InlineData("schema", "other/2", "schema")]
    public void Parse_InvalidField_ThrowsNamingCardAndField(string field, string value, string expectedField)
    {
        var json = TempCardFolder.SmallCnnCard();
        json[field] = value;
        var e = Assert.Throws<ModelCardException>(() => ModelCardReader.Parse(json.ToJsonString(), "/cards/x.card.json"));
        Assert.Equal(expectedField, e.Field);
        Assert.Contains("/cards/x.card.json", e.Message);
    }

    [Fact]
    public void Parse_NotForClinicalUseNotStated_IsRefused()
    {
        var json = TempCardFolder.SmallCnnCard();
        json["intended_use"]!.AsObject().Remove("not_for_clinical_use");
        var e = Assert.Throws<ModelCardException>(() => ModelCardReader.Parse(json.ToJsonString(), "x.card.json"));
        Assert.Equal("intended_use.not_for_clinical_use", e.Field);
    }

    [Fact]
    public void Parse_OutputWithoutMeaning_IsRefusedNamingTheOutput()
    {
        var json = TempCardFolder.SmallCnnCard();
        json["outputs"]![0]!["meaning"] = "";
        var e = Assert.Throws<ModelCardException>(() => ModelCardReader.Parse(json.ToJsonString(), "x.card.json"));
        Assert.Equal("outputs[probabilities].meaning", e.Field);
    }

    [Fact]
    public void Parse_BadShapeDimension_IsRefusedWithItsJsonPath()
    {
        var json = TempCardFolder.SmallCnnCard();
        json["inputs"]![0]!["shape"] = new JsonArray("N", 3, -32, 32);
        var e = Assert.Throws<ModelCardException>(() => ModelCardReader.Parse(json.ToJsonString(), "x.card.json"));
        Assert.Contains("inputs[0].shape", e.Field);
    }

    [Fact]
    public void Parse_UnknownProperty_IsRefusedSoTyposAreNotIgnored()
    {
        var json = TempCardFolder.SmallCnnCard();
        json["sha265"] = "typo";
        var e = Assert.Throws<ModelCardException>(() => ModelCardReader.Parse(json.ToJsonString(), "x.card.json"));
        Assert.Contains("sha265", e.Message);
    }

    [Fact]
    public void Parse_PathVariableNotSet_IsRefusedNamingTheVariable()
    {
        var json = TempCardFolder.SmallCnnCard();
        json["file"] = "${VIGIL_TEST_UNSET_VARIABLE}/m.onnx";
        var e = Assert.Throws<ModelCardException>(() => ModelCardReader.Parse(json.ToJsonString(), "x.card.json"));
        Assert.Equal("file", e.Field);
        Assert.Contains("VIGIL_TEST_UNSET_VARIABLE", e.Message);
    }

    [Fact]
    public void Write_ThenParse_RoundTripsTheCard()
    {
        var card = ModelCardReader.Read(Path.Combine(TempCardFolder.ShippedModels, "tiny-vit-block.card.json"));
        var again = ModelCardReader.Parse(ModelCardReader.Write(card), card.CardPath);
        Assert.Equal(card.Provenance, again.Provenance);
        Assert.Equal(card.Outputs.Select(o => o.ToString()), again.Outputs.Select(o => o.ToString()));
        Assert.Equal(card.ModelPath, again.ModelPath);
    }
}
