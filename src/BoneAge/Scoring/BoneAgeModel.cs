using Vigil.Imaging;
using Vigil.BoneAge.Preprocessing;
using Vigil.Models.Batching;
using Vigil.Models.Cards;
using Vigil.Models.Catalog;
using Vigil.Models.Tensors;

namespace Vigil.BoneAge.Scoring;

/// <summary>
/// A bone-age model behind its card: loaded and verified (sha256) by a <see cref="ModelCatalog"/>,
/// fed one image per request through the dynamic <see cref="ModelBatcher"/>, which stacks
/// concurrent requests into batches. The card's first input is the image; an input named
/// <c>sex</c> (shape [N, 1], 1 male, 0 female) is fed when present; the first value of each
/// output row is the bone age in months.
/// </summary>
public sealed class BoneAgeModel : IAsyncDisposable
{
    /// <summary>Card tasks the scorer accepts as bone-age models.</summary>
    public const string BoneAgeTask = "bone-age-regression";

    private readonly ModelCatalog _catalog;
    private readonly ModelBatcher _batcher;
    private readonly long[] _imageShape;

    private BoneAgeModel(ModelCatalog catalog, ModelCard card, int maxBatchSize)
    {
        _catalog = catalog;
        Card = card;
        Preprocessing = PreprocessingOptions.FromCard(card.Preprocessing
            ?? throw new ModelCardException(card.CardPath, "preprocessing", "is required for a bone-age model (image size and recipe)."));
        ImageInput = card.Inputs[0].Name;
        SexInput = card.Inputs.Skip(1).FirstOrDefault(i => i.Name == "sex")?.Name;
        OutputName = card.Outputs[0].Name;
        var p = Preprocessing;
        _imageShape = p.Layout == "NHWC" ? [1, p.Height, p.Width, p.Channels] : [1, p.Channels, p.Height, p.Width];
        _batcher = new ModelBatcher(catalog, card.Id, new ModelBatcherOptions
        {
            MaxBatchSize = maxBatchSize,
            MaxQueueDelay = TimeSpan.FromMilliseconds(2),
            MaxQueueLength = 4096,
        });
    }

    /// <summary>The card.</summary>
    public ModelCard Card { get; }

    /// <summary>The preprocessing recipe from the card.</summary>
    public PreprocessingOptions Preprocessing { get; }

    /// <summary>Name of the image input.</summary>
    public string ImageInput { get; }

    /// <summary>Name of the sex input, when the model takes one.</summary>
    public string? SexInput { get; }

    /// <summary>Name of the output read.</summary>
    public string OutputName { get; }

    /// <summary>True when the card says the model is a bone-age regressor.</summary>
    public bool IsBoneAgeModel => Card.Task == BoneAgeTask;

    /// <summary>The batcher's counters (batches run, mean batch size...).</summary>
    public BatcherStatistics Statistics => _batcher.Statistics;

    /// <summary>
    /// Opens the model of the card at <paramref name="cardPath"/>; <c>${VIGIL_SHARED}</c> in the card
    /// resolves to <paramref name="sharedRoot"/> when given. <paramref name="inferenceThreads"/>
    /// bounds ONNX Runtime's threads inside one batch (0: one per core); fewer than the cores
    /// leaves the rest to decoding. ONNX Runtime's threads normally spin between operators waiting
    /// for work, which keeps cores busy that decoding needs: the scorer turns that off unless
    /// <paramref name="spinningThreads"/> (with PFLD on 2 cores, about 40% more images/s end to end).
    /// </summary>
    public static BoneAgeModel Open(string cardPath, int maxBatchSize = 8, string? sharedRoot = null, int inferenceThreads = 0, bool spinningThreads = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inferenceThreads);
        var variables = new Dictionary<string, string>();
        if (sharedRoot is not null) variables["VIGIL_SHARED"] = sharedRoot;
        var catalog = new ModelCatalog(new ModelCatalogOptions
        {
            PathVariables = variables,
            SessionOptions = () => new Vigil.Models.Onnx.OnnxSessionOptions
            {
                IntraOpThreads = inferenceThreads,
                ConfigEntries = new Dictionary<string, string> { ["session.intra_op.allow_spinning"] = spinningThreads ? "1" : "0" },
            },
        });
        try
        {
            var loaded = catalog.Load(cardPath);
            return new BoneAgeModel(catalog, loaded.Card, maxBatchSize);
        }
        catch
        {
            catalog.Dispose();
            throw;
        }
    }

    /// <summary>The tensor for one preprocessed image, shaped [1, ...] for stacking by the batcher.</summary>
    public DenseTensor<float> ImageTensor(float[] input) => DenseTensor<float>.Wrap(input, _imageShape);

    /// <summary>
    /// Runs one preprocessed image through the batcher; returns the bone age in months with the
    /// provenance of the model version that produced it.
    /// </summary>
    public async Task<(double Months, ModelProvenance Provenance, bool NotForClinicalUse)> PredictAsync(
        string requestId, float[] input, PatientSex sex, CancellationToken cancellation = default)
    {
        var inputs = new Dictionary<string, Tensor>(StringComparer.Ordinal) { [ImageInput] = ImageTensor(input) };
        if (SexInput is not null)
        {
            if (sex == PatientSex.Unknown) throw new InvalidOperationException($"model {Card} needs the patient's sex, which is unknown");
            inputs[SexInput] = DenseTensor<float>.Wrap([sex == PatientSex.Male ? 1f : 0f], 1, 1);
        }
        using var result = await _batcher.InferAsync(new InferenceRequest(requestId, inputs), cancellation: cancellation).ConfigureAwait(false);
        var output = result.Float(OutputName);
        var months = (double)output.Span[0];
        if (!double.IsFinite(months)) throw new InvalidOperationException($"model {result.Provenance} returned {months} for this image");
        return (months, result.Provenance, result.NotForClinicalUse);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _batcher.DisposeAsync().ConfigureAwait(false);
        _catalog.Dispose();
    }
}
