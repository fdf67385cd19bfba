using Vigil.Models.Batching;
using Vigil.Models.Cards;
using Vigil.Models.Catalog;
using Vigil.Models.Onnx;
using Vigil.Models.Runtimes;
using Vigil.Models.Tensors;
using Vigil.Models.Tests.Catalog;

namespace Vigil.Models.Tests.Runtimes;

/// <summary>The card's runtime field and the registry through which the catalog serves every runtime the same way.</summary>
public sealed class ModelRuntimeTests
{
    private static byte[] SmallCnnBytes => File.ReadAllBytes(Path.Combine(TempCardFolder.ShippedModels, "small-cnn.onnx"));

    [Fact]
    public void Read_CardWithoutRuntime_DefaultsToOnnxRuntime()
    {
        var card = ModelCardReader.Read(Path.Combine(TempCardFolder.ShippedModels, "small-cnn.card.json"));
        Assert.Equal(ModelRuntimeNames.OnnxRuntime, card.Runtime);
    }

    [Theory]
    [InlineData("tensorflow", "runtime")]
    [InlineData("opencv-dnn", "stages")]
    public void Read_BadRuntimeOrMissingStages_IsRefusedNamingTheField(string runtime, string field)
    {
        using var folder = new TempCardFolder();
        var json = TempCardFolder.SmallCnnCard();
        json["runtime"] = runtime;
        var path = folder.Write("bad", json, SmallCnnBytes);
        var e = Assert.Throws<ModelCardException>(() => ModelCardReader.Read(path));
        Assert.Equal(field, e.Field);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Open_TorchSharpCardWithoutItsRuntime_IsRefusedSayingWhoProvidesIt()
    {
        using var folder = new TempCardFolder();
        var json = TempCardFolder.SmallCnnCard();
        json["runtime"] = "torchsharp";
        folder.Write("trained", json, SmallCnnBytes);
        using var catalog = ModelCatalog.OpenFolder(folder.Path, new ModelCatalogOptions { Runtimes = new ModelRuntimeRegistry(new OnnxModelRuntime()) });
        var failure = Assert.Single(catalog.Failures);
        var e = Assert.IsType<ModelCardException>(failure.Error);
        Assert.Equal("runtime", e.Field);
        Assert.Contains("Vigil.Models.Training", e.Message);
        Assert.Empty(catalog.Models);
    }

    [Fact]
    public async Task Serve_CardOnARegisteredRuntime_IsVerifiedLeasedAndBatchedLikeAnyOther()
    {
        // A runtime registered under "torchsharp" (as the training room does), here backed by ONNX Runtime.
        var runtime = new RecordingRuntime();
        var registry = new ModelRuntimeRegistry(new OnnxModelRuntime());
        registry.Register(runtime);
        using var folder = new TempCardFolder();
        var json = TempCardFolder.SmallCnnCard();
        json["runtime"] = "torchsharp";
        folder.Write("trained", json, SmallCnnBytes);
        using var catalog = ModelCatalog.OpenFolder(folder.Path, new ModelCatalogOptions { Runtimes = registry });
        Assert.Empty(catalog.Failures);
        Assert.Equal(1, runtime.Opened);
        var id = Assert.Single(catalog.Models).Id;
        using (var lease = catalog.Acquire(id)) Assert.Equal("torchsharp", lease.Session.Runtime);

        await using var batcher = new ModelBatcher(catalog, id);
        using var image = DenseTensor<float>.Allocate(new TensorShape(1, 3, 32, 32));
        using var result = await batcher.InferAsync(InferenceRequest.Single("r1", "image", image));
        Assert.Equal(id, result.Provenance.ModelId);
        Assert.Equal(1, result.Outputs.Values.First().Shape[0]);
    }

    [Fact]
    public void Register_NameNoCardMayGive_IsRefused()
    {
        var registry = new ModelRuntimeRegistry();
        Assert.Throws<ArgumentException>(() => registry.Register(new RecordingRuntime("caffe")));
    }

    private sealed class RecordingRuntime(string name = ModelRuntimeNames.TorchSharp) : IModelRuntime
    {
        public int Opened;

        public string Name => name;

        public IInferenceSession Open(ModelCard card, byte[] modelBytes, OnnxSessionOptions sessionOptions)
        {
            Opened++;
            return new Renamed(OnnxSession.Load(modelBytes, card.Id, sessionOptions), name);
        }
    }

    private sealed class Renamed(OnnxSession inner, string runtime) : IInferenceSession
    {
        public string ModelId => inner.ModelId;
        public string Runtime => runtime;
        public IReadOnlyList<OnnxTensorInfo> Inputs => inner.Inputs;
        public IReadOnlyList<OnnxTensorInfo> Outputs => inner.Outputs;
        public IReadOnlyList<string> ExecutionProviders => inner.ExecutionProviders;
        public OnnxRunResult Run(ReadOnlySpan<NamedTensor> inputs, IReadOnlyList<string>? outputNames = null, CancellationToken cancellation = default) =>
            inner.Run(inputs, outputNames, cancellation);
        public void Dispose() => inner.Dispose();
    }
}
