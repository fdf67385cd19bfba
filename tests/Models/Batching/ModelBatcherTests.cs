using Vigil.Models.Batching;
using Vigil.Models.Cards;
using Vigil.Models.Catalog;
using Vigil.Models.OnnxBuilder;
using Vigil.Models.Tensors;
using Vigil.Models.Tests.Catalog;
using Vigil.Models.Tests.OnnxBuilder;
using Vigil.Tests.Common;

namespace Vigil.Models.Tests.Batching;

public sealed class ModelBatcherTests : IDisposable
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(60);
    private readonly TempCardFolder _folder = new();
    private readonly ManualClock _clock = new();

    public void Dispose() => _folder.Dispose();

    private static float[] Image(int seed) => new DeterministicWeights((ulong)seed).Array(3 * 32 * 32, 1f);

    [Fact]
    public async Task InferAsync_FourImagesInOneBatch_EachResultMatchesTheReferenceAndCarriesProvenance()
    {
        var model = new SmallCnn();
        using var catalog = new ModelCatalog();
        var loaded = catalog.Load(_folder.Write("cnn", TempCardFolder.SmallCnnCard(), model.ToOnnx()));
        await using var batcher = new ModelBatcher(catalog, "small-cnn", new() { MaxBatchSize = 4, TimeProvider = _clock });
        var images = Enumerable.Range(0, 4).Select(Image).ToArray();

        var results = await Task.WhenAll(images.Select((img, i) =>
            batcher.InferAsync(InferenceRequest.Single($"frame-{i}", "image", DenseTensor<float>.Wrap(img, 1, 3, 32, 32))))).WaitAsync(Safety);

        Assert.True(batcher.SupportsBatching);
        Assert.Equal(1, batcher.Statistics.BatchSizeCounts[4]);
        for (var i = 0; i < 4; i++)
        {
            using var r = results[i];
            Assert.Equal($"frame-{i}", r.RequestId);
            Assert.Equal(loaded.Provenance, r.Provenance);
            Assert.True(r.NotForClinicalUse);
            var probs = r.Float("probabilities");
            Assert.Equal(new TensorShape(1, 4), probs.Shape);
            var expected = ReferenceMath.SmallCnnForward(model, images[i]);
            for (var c = 0; c < 4; c++) Assert.Equal(expected[c], probs[c], 1e-4f);
        }
    }

    [Fact]
    public async Task InferAsync_OneRequestWithAWrongShape_FailsAloneWithAClearErrorAndTheOthersComplete()
    {
        using var catalog = new ModelCatalog();
        catalog.Load(_folder.Write("cnn", TempCardFolder.SmallCnnCard(), new SmallCnn().ToOnnx()));
        await using var batcher = new ModelBatcher(catalog, "small-cnn", new() { MaxBatchSize = 3, TimeProvider = _clock });

        var good1 = batcher.InferAsync(InferenceRequest.Single("good-1", "image", DenseTensor<float>.Wrap(Image(1), 1, 3, 32, 32)));
        var bad = batcher.InferAsync(InferenceRequest.Single("bad", "image", DenseTensor<float>.Wrap(new float[3 * 16 * 16], 1, 3, 16, 16)));
        var good2 = batcher.InferAsync(InferenceRequest.Single("good-2", "image", DenseTensor<float>.Wrap(Image(2), 1, 3, 32, 32)));

        using var r1 = await good1.WaitAsync(Safety);
        using var r2 = await good2.WaitAsync(Safety);
        var e = await Assert.ThrowsAsync<BatchFailedException>(() => bad.WaitAsync(Safety));
        Assert.Contains("'bad'", e.Message);
        Assert.Contains("input 'image'", e.Message);
        Assert.Contains("[N,3,32,32]", e.Message);
        Assert.Equal(4, r1.Float("probabilities").ElementCount);
    }

    [Fact]
    public async Task InferAsync_FixedBatchModel_RunsOneRequestAtATime()
    {
        SharedData.Require("assets/models/ultraface_version-RFB-320.onnx");
        using var catalog = new ModelCatalog(new() { PathVariables = new Dictionary<string, string> { ["VIGIL_SHARED"] = SharedData.Root } });
        catalog.Load(Path.Combine(TempCardFolder.ShippedModels, "face", "ultraface-rfb-320.card.json"));
        await using var batcher = new ModelBatcher(catalog, "ultraface-rfb-320", new() { MaxBatchSize = 8, TimeProvider = _clock });
        var input = new float[3 * 240 * 320];

        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(i =>
            batcher.InferAsync(InferenceRequest.Single($"f{i}", "input", DenseTensor<float>.Wrap(input, 1, 3, 240, 320))))).WaitAsync(Safety);

        Assert.False(batcher.SupportsBatching);
        Assert.Equal(3, batcher.Statistics.BatchSizeCounts[1]);
        Assert.All(results, r => Assert.Equal(new TensorShape(1, 4420, 4), r.Outputs["boxes"].Shape));
        Assert.All(results, r => Assert.Equal("ultraface-rfb-320", r.Provenance.ModelId));
        foreach (var r in results) r.Dispose();
    }

    [Fact]
    public async Task InferAsync_PfldBatchOfThree_EachRowMatchesTheDocumentedSingleRunOutput()
    {
        var inputPath = SharedData.Require("assets/expected/pfld_input_headpose011.bin");
        var expected = ReadFloats(SharedData.Require("assets/expected/pfld_out_headpose011_output.bin"));
        var input = ReadFloats(inputPath);
        using var catalog = new ModelCatalog(new() { PathVariables = new Dictionary<string, string> { ["VIGIL_SHARED"] = SharedData.Root } });
        catalog.Load(Path.Combine(TempCardFolder.ShippedModels, "face", "pfld-68.card.json"));
        await using var batcher = new ModelBatcher(catalog, "pfld-68", new() { MaxBatchSize = 3, TimeProvider = _clock });

        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(i =>
            batcher.InferAsync(InferenceRequest.Single($"crop-{i}", "input", DenseTensor<float>.Wrap(input, 1, 3, 112, 112))))).WaitAsync(Safety);

        Assert.Equal(1, batcher.Statistics.BatchSizeCounts[3]);
        foreach (var r in results)
        {
            var landmarks = r.Float("output").ToArray();
            Assert.Equal(136, landmarks.Length);
            for (var j = 0; j < 136; j++) Assert.Equal(expected[j], landmarks[j], 1e-4f);
            Assert.Equal("7d7bbd5c6a1d9272e58d9773898284a1905d872eba9a662df9b5f20f1ba6f83e", r.Provenance.Sha256);
            r.Dispose();
        }
    }

    [Fact]
    public async Task InferAsync_AfterTheCatalogSwapsVersions_ResultsCarryTheNewVersion()
    {
        using var catalog = new ModelCatalog();
        catalog.Load(_folder.Write("v1", TempCardFolder.SmallCnnCard(), new SmallCnn(1).ToOnnx(), file: "v1.onnx"));
        await using var batcher = new ModelBatcher(catalog, "small-cnn", new() { MaxBatchSize = 1, TimeProvider = _clock });
        var request = InferenceRequest.Single("r", "image", DenseTensor<float>.Wrap(Image(3), 1, 3, 32, 32));
        using var before = await batcher.InferAsync(request).WaitAsync(Safety);
        var card2 = TempCardFolder.SmallCnnCard();
        card2["version"] = "2.0.0";
        catalog.Load(_folder.Write("v2", card2, new SmallCnn(2).ToOnnx(), file: "v2.onnx"));

        using var after = await batcher.InferAsync(request).WaitAsync(Safety);

        Assert.Equal("1.0.0", before.Provenance.Version);
        Assert.Equal("2.0.0", after.Provenance.Version);
        Assert.NotEqual(before.Float("probabilities").ToArray(), after.Float("probabilities").ToArray());
    }

    private static float[] ReadFloats(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var values = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, values, 0, values.Length * 4);
        return values;
    }
}
