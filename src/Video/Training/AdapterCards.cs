using Vigil.Models.Cards;
using Vigil.Models.Catalog;
using Vigil.Models.Training;
using Vigil.Video.Motion;

namespace Vigil.Video.Training;

/// <summary>Writes a trained adapter as a model card: TorchSharp weights, the <c>.adapter.json</c> config, training provenance and figures.</summary>
public static class AdapterCards
{
    /// <summary>Saves the adapter as <paramref name="cardPath"/> (<c>{id}.card.json</c>) with its weights and config beside it.</summary>
    public static ModelCard Save(TorchActionAdapter adapter, string cardPath, CardTraining training, string dataset)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(cardPath))!;
        var fileName = Path.GetFileName(cardPath);
        var id = fileName.EndsWith(".card.json", StringComparison.Ordinal) ? fileName[..^".card.json".Length] : Path.GetFileNameWithoutExtension(fileName);
        Directory.CreateDirectory(directory);
        var config = adapter.Config;
        var configPath = Path.Combine(directory, id + ".adapter.json");
        File.WriteAllText(configPath, config.ToJson() + "\n");
        var card = new ModelCard
        {
            Id = id,
            Version = "1.0.0",
            Task = "video-action-segmentation",
            Description = $"{MotionFeatures.Name(config.Motion)}{(config.HiddenStates == HiddenStates.Pooled ? " + pooled hidden states" : "")} {config.Kind} adapter (width {config.Hidden}) on the frozen {config.Backbone} backbone: per-frame multi-label action probabilities from windows of {config.WindowFrames} frames at {config.FramesPerSecond:0.##} fps.",
            Inputs = [new CardTensor { Name = "features", ElementType = "float32", Shape = [CardDimension.Named("frames"), CardDimension.Fixed(config.FeatureDimension)], Meaning = $"motion {MotionFeatures.Name(config.Motion)}, hidden states {HiddenStateFeatures.Name(config.HiddenStates)}: {MotionFeatures.Describe(config.Motion)}{HiddenStateFeatures.Describe(config.HiddenStates)}" }],
            Outputs = [new CardTensor { Name = "probabilities", ElementType = "float32", Shape = [CardDimension.Named("frames"), CardDimension.Fixed(config.Labels.Count)], Meaning = "per frame and label, the probability the action is happening" }],
            Labels = config.Labels,
            IntendedUse = new CardIntendedUse
            {
                Summary = $"Research demonstration of action segmentation from attention-map flow, trained on {dataset}. NOT FOR CLINICAL USE.",
                NotForClinicalUse = true,
                Limitations = ["Trained on generated stick-figure clips; real ward video is out of its training distribution.", $"Features from {config.Backbone} sha256 {config.BackboneSha256} only."],
            },
            Origin = new CardOrigin
            {
                Source = "vigil video train (Vigil.Video.Training, TorchSharp 0.107.0)",
                Licence = "Same as the Vigil repository",
                Notes = "adapter config " + id + ".adapter.json sha256 " + ModelFileHash.Sha256OfFile(configPath),
            },
            Training = training,
        };
        return TrainedModelCard.Save(adapter.Module, directory, card);
    }
}
