using System.Globalization;
using Vigil.Models.Cards;
using static TorchSharp.torch;

namespace Vigil.Models.Training.Adaptation;

/// <summary>Settings of <see cref="FolderAdaptation.Run"/>.</summary>
public sealed class FolderAdaptationOptions
{
    /// <summary>Labelled source: one subfolder per class, named by the class, holding images.</summary>
    public string Source { get; init; } = "";
    /// <summary>Unlabelled target: images in this folder and its subfolders (subfolder names are ignored).</summary>
    public string Target { get; init; } = "";
    /// <summary>Path of the card to write (<c>NAME.card.json</c>; the weights go beside it as <c>NAME.weights</c>).</summary>
    public string OutCard { get; init; } = "";
    /// <summary>Side of the square greyscale input (default 28; at least 28).</summary>
    public int ImageSize { get; init; } = 28;
    /// <summary>Seed of the run.</summary>
    public int Seed { get; init; } = 1;
    /// <summary>ADDA settings (its seed is replaced by <see cref="Seed"/>).</summary>
    public AddaOptions Adda { get; init; } = new();
    /// <summary>The command line, recorded in the card.</summary>
    public string Command { get; init; } = "";
}

/// <summary>What <see cref="FolderAdaptation.Run"/> produced.</summary>
/// <param name="Classes">Class names, in output order.</param>
/// <param name="SourceImages">Labelled source images read.</param>
/// <param name="TargetImages">Unlabelled target images read.</param>
/// <param name="SourceAccuracy">Accuracy of source encoder + classifier on the source images (training data, a sanity figure only).</param>
/// <param name="Card">The card written.</param>
public sealed record FolderAdaptationResult(IReadOnlyList<string> Classes, int SourceImages, int TargetImages, double SourceAccuracy, ModelCard Card);

/// <summary>
/// <c>vigil adapt --source DIR --target DIR --out CARD</c>: ADDA from a labelled image folder to an
/// unlabelled one with the LeNet encoder on greyscale squares, written as a TorchSharp card whose
/// model is the target encoder followed by the kept classifier. Without target labels the card
/// carries no accuracy on the target: validate it on labelled target data before trusting it.
/// </summary>
public static class FolderAdaptation
{
    /// <summary>Reads both folders, runs both ADDA stages and writes the card.</summary>
    /// <exception cref="InvalidDataException">A folder is missing, empty, has fewer than two classes, or holds an undecodable image.</exception>
    public static FolderAdaptationResult Run(FolderAdaptationOptions options, IProgress<AddaProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Directory.Exists(options.Source)) throw new InvalidDataException($"{options.Source}: source folder not found.");
        if (!Directory.Exists(options.Target)) throw new InvalidDataException($"{options.Target}: target folder not found.");
        if (options.ImageSize < 28) throw new ArgumentOutOfRangeException(nameof(options), options.ImageSize, "ImageSize must be at least 28.");
        if (!options.OutCard.EndsWith(".card.json", StringComparison.Ordinal))
            throw new InvalidDataException($"{options.OutCard}: the card path must end in .card.json.");
        var size = options.ImageSize;
        var classes = Directory.GetDirectories(options.Source).Select(Path.GetFileName).OfType<string>()
            .Where(c => AdaptationImages.List(Path.Combine(options.Source, c)).Length > 0).Order(StringComparer.Ordinal).ToArray();
        if (classes.Length < 2)
            throw new InvalidDataException($"{options.Source}: needs at least two class subfolders holding images, found {classes.Length}.");
        var sourcePixels = new List<float[]>();
        var labels = new List<long>();
        for (var c = 0; c < classes.Length; c++)
            foreach (var file in AdaptationImages.List(Path.Combine(options.Source, classes[c])))
            {
                sourcePixels.Add(AdaptationImages.Read(file, size));
                labels.Add(c);
            }
        var targetPixels = AdaptationImages.List(options.Target).Select(f => AdaptationImages.Read(f, size)).ToList();
        if (targetPixels.Count == 0) throw new InvalidDataException($"{options.Target}: no images ({string.Join(", ", AdaptationImages.Extensions)}).");

        var a = options.Adda;
        var adda = new AddaOptions
        {
            Seed = options.Seed, BatchSize = a.BatchSize, SourceSteps = a.SourceSteps, SourceLearningRate = a.SourceLearningRate,
            AdversarialSteps = a.AdversarialSteps, TargetLearningRate = a.TargetLearningRate, DiscriminatorLearningRate = a.DiscriminatorLearningRate,
            Beta1 = a.Beta1, DiscriminatorHidden = a.DiscriminatorHidden, ReportEvery = a.ReportEvery,
        };
        using var sx = AdaptationImages.Stack(sourcePixels, size);
        using var sy = tensor(labels.ToArray());
        using var tx = AdaptationImages.Stack(targetPixels, size);
        using var trainer = new AddaTrainer(() => LeNet.Encoder(size), () => LeNet.Classifier(classes.Length), LeNet.FeatureSize, adda);
        trainer.TrainSource(sx, sy, progress, cancellation);
        var sourceAccuracy = trainer.Accuracy(sx, sy, throughTarget: false);
        trainer.Adapt(sx, tx, progress, cancellation);
        var lastD = trainer.History.LastOrDefault(h => h.Stage == AddaStage.Adversarial)?.DiscriminatorAccuracy ?? double.NaN;

        var directory = Path.GetDirectoryName(Path.GetFullPath(options.OutCard))!;
        var id = Path.GetFileName(options.OutCard)[..^".card.json".Length];
        var model = TorchSharp.torch.nn.Sequential(("encoder", trainer.TargetEncoder!), ("classifier", trainer.Classifier));
        var card = TrainedModelCard.Save(model, directory, new ModelCard
        {
            Id = id,
            Version = DateTime.UtcNow.ToString("yyyy.MM.dd", CultureInfo.InvariantCulture),
            Task = "image-classification-domain-adapted",
            Description = $"LeNet encoder adapted by ADDA from {options.Source} (labelled, {sourcePixels.Count} images) to {options.Target} (unlabelled, {targetPixels.Count} images); the TorchSharp module is Sequential(encoder = target encoder, classifier = the source classifier).",
            Inputs = [new CardTensor { Name = "image", ElementType = "float32", Shape = [CardDimension.Named("batch"), CardDimension.Fixed(1), CardDimension.Fixed(size), CardDimension.Fixed(size)], Meaning = $"Greyscale image resized to {size}x{size} (area interpolation), pixel / 127.5 - 1." }],
            Outputs = [new CardTensor { Name = "logits", ElementType = "float32", Shape = [CardDimension.Named("batch"), CardDimension.Fixed(classes.Length)], Meaning = "Class logits in the order of labels." }],
            Labels = classes,
            IntendedUse = new CardIntendedUse
            {
                Summary = "A domain-adapted research classifier made by vigil adapt.",
                NotForClinicalUse = true,
                Limitations = ["Trained without target labels: its accuracy on the target domain is unknown until measured on labelled target data.", "Greyscale squares only; colour is discarded."],
            },
            Origin = new CardOrigin { Source = "trained by vigil adapt (ADDA, Tzeng et al. CVPR 2017)", Licence = "the training data's terms apply", Notes = $"source {options.Source}; target {options.Target}" },
            Training = new CardTraining
            {
                Dataset = $"source {options.Source} ({sourcePixels.Count} labelled); target {options.Target} ({targetPixels.Count} unlabelled)",
                Split = "all source images for stage 1, all target images for stage 2; no held-out target labels",
                Seed = options.Seed,
                Epochs = 0,
                Command = options.Command,
                Metrics = new Dictionary<string, double> { ["source_training_accuracy"] = Math.Round(sourceAccuracy, 4), ["final_discriminator_accuracy"] = Math.Round(lastD, 4) },
                Notes = $"ADDA: {adda.SourceSteps} source steps, {adda.AdversarialSteps} adversarial steps, batch {adda.BatchSize}, Adam lr {adda.TargetLearningRate} beta1 {adda.Beta1}.",
            },
        });
        return new FolderAdaptationResult(classes, sourcePixels.Count, targetPixels.Count, sourceAccuracy, card);
    }
}
