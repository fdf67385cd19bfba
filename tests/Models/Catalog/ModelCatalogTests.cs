using System.Text.Json.Nodes;
using Vigil.Models.Cards;
using Vigil.Models.Catalog;
using Vigil.Models.OnnxBuilder;
using Vigil.Models.Tensors;
using Vigil.Tests.Common;

namespace Vigil.Models.Tests.Catalog;

public sealed class ModelCatalogTests
{
    private static readonly ModelCatalogOptions Options = new() { PathVariables = new Dictionary<string, string> { ["VIGIL_SHARED"] = SharedData.Root } };

    [Fact]
    public void OpenFolder_ShippedModels_ServesEveryCardWithoutFailures()
    {
        SharedData.Require("assets/models");
        using var catalog = ModelCatalog.OpenFolder(TempCardFolder.ShippedModels, Options);

        // TorchSharp cards (trained heads) are loaded by the modality that trained them, not by this
        // process's catalog: they may be refused only for their runtime, and their files must still
        // match the card's sha256.
        Assert.All(catalog.Failures, f =>
        {
            var e = Assert.IsType<ModelCardException>(f.Error);
            Assert.Equal("runtime", e.Field);
            var card = ModelCardReader.Read(f.CardPath, Options.PathVariables);
            Assert.Equal("torchsharp", card.Runtime);
            ModelVerifier.VerifyChecksum(card, ModelFileHash.Sha256OfFile(card.ModelPath));
        });
        // Other areas ship cards here too (e.g. models/boneage-demo); these five are this area's.
        var served = catalog.Models.Select(m => m.Id).ToHashSet();
        Assert.Superset(new HashSet<string> { "pfld-68", "small-cnn", "tiny-vit-block", "ultraface-rfb-320", "yunet-s-640" }, served);
        Assert.All(catalog.Models, m => Assert.True(m.NotForClinicalUse, $"{m} must be marked not for clinical use"));
    }

    [Fact]
    public void SmallCnnCard_CommittedFile_IsWhatTheBuilderWrites()
    {
        Assert.Equal(new SmallCnn().ToOnnx(), File.ReadAllBytes(Path.Combine(TempCardFolder.ShippedModels, "small-cnn.onnx")));
        Assert.Equal(new TinyVisionTransformerBlock().ToOnnx(), File.ReadAllBytes(Path.Combine(TempCardFolder.ShippedModels, "tiny-vit-block.onnx")));
    }

    [Fact]
    public void Load_ChecksumDiffers_RefusedNamingCardFieldAndBothValues()
    {
        using var folder = new TempCardFolder();
        var card = TempCardFolder.SmallCnnCard();
        card["sha256"] = new string('a', 64);
        var path = folder.Write("cnn", card, new SmallCnn().ToOnnx(), fixSha: false);
        using var catalog = new ModelCatalog();

        var e = Assert.Throws<ModelCardMismatchException>(() => catalog.Load(path));

        Assert.Equal("sha256", e.Field);
        Assert.Equal(new string('a', 64), e.CardValue);
        Assert.Equal(ModelFileHash.Sha256Of(new SmallCnn().ToOnnx()), e.FileValue);
        Assert.Contains(path, e.Message);
        Assert.Empty(catalog.Models);
    }

    [Theory]
    [InlineData("inputs", 0, "shape", "[\"N\",3,64,64]", "inputs[image].shape[2]", "64 (fixed)", "32 (fixed)")]
    [InlineData("inputs", 0, "shape", "[1,3,32,32]", "inputs[image].shape[0]", "1 (fixed)", "N (symbolic)")]
    [InlineData("inputs", 0, "element_type", "\"uint8\"", "inputs[image].element_type", "uint8", "float32")]
    [InlineData("outputs", 0, "name", "\"probs\"", "outputs", "[probs]", "[probabilities]")]
    [InlineData("outputs", 0, "shape", "[\"N\",4,1]", "outputs[probabilities].shape", "rank 3 [N,4,1]", "rank 2 [N,4]")]
    public void Load_SignatureDiffers_RefusedNamingTheFieldAndBothValues(
        string list, int index, string property, string json, string field, string cardValue, string fileValue)
    {
        using var folder = new TempCardFolder();
        var card = TempCardFolder.SmallCnnCard();
        card[list]![index]![property] = JsonNode.Parse(json);
        var path = folder.Write("cnn", card, new SmallCnn().ToOnnx());
        using var catalog = new ModelCatalog();

        var e = Assert.Throws<ModelCardMismatchException>(() => catalog.Load(path));

        Assert.Equal(field, e.Field);
        Assert.Equal(cardValue, e.CardValue);
        Assert.Equal(fileValue, e.FileValue);
        Assert.Contains("small-cnn@1.0.0", e.Message);
    }

    [Fact]
    public void Load_CorruptModelFile_RefusedWithOnnxRuntimesMessage()
    {
        using var folder = new TempCardFolder();
        var bytes = new SmallCnn().ToOnnx()[..500];   // truncated; the card's sha256 matches these bytes
        var path = folder.Write("cnn", TempCardFolder.SmallCnnCard(), bytes);
        using var catalog = new ModelCatalog();

        var e = Assert.Throws<ModelCardException>(() => catalog.Load(path));

        Assert.Equal("file", e.Field);
        Assert.Contains("ONNX Runtime cannot load", e.Message);
    }

    [Fact]
    public void Load_ModelFileMissing_RefusedNamingThePath()
    {
        using var folder = new TempCardFolder();
        var path = folder.Write("cnn", TempCardFolder.SmallCnnCard(), new SmallCnn().ToOnnx());
        File.Delete(Path.Combine(folder.Path, "model.onnx"));
        var e = Assert.Throws<ModelFileMissingException>(() => new ModelCatalog().Load(path));
        Assert.Contains("model.onnx", e.Message);
        Assert.Contains("not present on this machine", e.Message);
        Assert.Equal("file", e.Field);
    }

    [Fact]
    public void OpenFolder_OneBadCardAmongGoodOnes_ServesTheGoodAndListsTheBad()
    {
        using var folder = new TempCardFolder();
        folder.Write("good", TempCardFolder.SmallCnnCard(), new SmallCnn().ToOnnx(), file: "good.onnx");
        var bad = TempCardFolder.SmallCnnCard();
        bad["id"] = "bad-cnn";
        bad["sha256"] = new string('0', 64);
        var badPath = folder.Write("bad", bad, new SmallCnn().ToOnnx(), file: "bad.onnx", fixSha: false);

        using var catalog = ModelCatalog.OpenFolder(folder.Path);

        Assert.Equal(["small-cnn"], catalog.Models.Select(m => m.Id));
        var failure = Assert.Single(catalog.Failures);
        Assert.Equal(badPath, failure.CardPath);
        Assert.IsType<ModelCardMismatchException>(failure.Error);
    }

    [Fact]
    public void Acquire_UnknownModel_ThrowsListingServedModels()
    {
        using var folder = new TempCardFolder();
        using var catalog = new ModelCatalog();
        catalog.Load(folder.Write("cnn", TempCardFolder.SmallCnnCard(), new SmallCnn().ToOnnx()));
        var e = Assert.Throws<KeyNotFoundException>(() => catalog.Acquire("nope"));
        Assert.Contains("'nope'", e.Message);
        Assert.Contains("small-cnn", e.Message);
    }

    [Fact]
    public void Load_NewVersionWhileALeaseIsHeld_OldLeaseKeepsWorkingAndOldSessionClosesWhenItEnds()
    {
        using var folder = new TempCardFolder();
        using var catalog = new ModelCatalog();
        var v1 = catalog.Load(folder.Write("v1", TempCardFolder.SmallCnnCard(), new SmallCnn(1).ToOnnx(), file: "v1.onnx"));
        var oldLease = catalog.Acquire("small-cnn");
        var card2 = TempCardFolder.SmallCnnCard();
        card2["version"] = "2.0.0";

        var v2 = catalog.Load(folder.Write("v2", card2, new SmallCnn(2).ToOnnx(), file: "v2.onnx"));

        Assert.False(v1.IsDisposed);
        var image = new float[3 * 32 * 32];
        using (var r = oldLease.Session.Run("image", DenseTensor<float>.Wrap(image, 1, 3, 32, 32)))
            Assert.Equal(4, r.Get<float>("probabilities").ElementCount);
        Assert.Equal("1.0.0", oldLease.Provenance.Version);
        using (var newLease = catalog.Acquire("small-cnn"))
        {
            Assert.Same(v2, newLease.Model);
            Assert.Equal("2.0.0", newLease.Provenance.Version);
            Assert.NotEqual(oldLease.Provenance.Sha256, newLease.Provenance.Sha256);
        }
        oldLease.Dispose();
        Assert.True(v1.IsDisposed);
        Assert.False(v2.IsDisposed);
    }

    [Fact]
    public async Task Load_SwapsDuringConcurrentRequests_NoRequestFails()
    {
        using var folder = new TempCardFolder();
        using var catalog = new ModelCatalog();
        var versions = Enumerable.Range(1, 4).Select(v =>
        {
            var card = TempCardFolder.SmallCnnCard();
            card["version"] = $"{v}.0.0";
            return folder.Write($"v{v}", card, new SmallCnn((ulong)v).ToOnnx(), file: $"v{v}.onnx");
        }).ToArray();
        catalog.Load(versions[0]);
        using var stop = new CancellationTokenSource();
        var requests = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            var served = 0;
            var image = new float[3 * 32 * 32];
            while (!stop.IsCancellationRequested || served == 0)
            {
                using var lease = catalog.Acquire("small-cnn");
                using var r = lease.Session.Run("image", DenseTensor<float>.Wrap(image, 1, 3, 32, 32));
                Assert.Equal(1f, r.Get<float>("probabilities").ToArray().Sum(), 4);
                served++;
            }
            return served;
        })).ToArray();

        foreach (var v in versions.Skip(1)) catalog.Load(v);
        stop.Cancel();

        var counts = await Task.WhenAll(requests).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.All(counts, c => Assert.True(c > 0));
        using var final = catalog.Acquire("small-cnn");
        Assert.Equal("4.0.0", final.Provenance.Version);
    }

    [Fact]
    public void Check_ShippedFaceCards_MatchTheRealModelFiles()
    {
        SharedData.Require("assets/models/pfld_68pt_112x112.onnx");
        foreach (var name in new[] { "ultraface-rfb-320", "yunet-s-640", "pfld-68" })
        {
            var card = ModelCatalog.Check(Path.Combine(TempCardFolder.ShippedModels, "face", name + ".card.json"), Options);
            Assert.Equal(name, card.Id);
        }
    }
}
