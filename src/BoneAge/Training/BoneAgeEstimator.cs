using OpenCvSharp;
using TorchSharp;
using Vigil.Models.Cards;
using Vigil.Models.Training;
using static TorchSharp.torch;

namespace Vigil.BoneAge.Training;

/// <summary>
/// Scores radiographs with a trained bone-age card (<c>runtime: torchsharp</c>, written by
/// <see cref="BoneAgeTrainer"/>): radiograph checks, backbone features of the image and its mirror,
/// every ensemble member, the mean as the estimate and a 90 % interval.
/// </summary>
public sealed class BoneAgeEstimator : IDisposable
{
    private readonly ResNet18Backbone _backbone;
    private readonly BoneAgeEnsemble _ensemble;
    private readonly RadiographPreprocessing _prep;
    private readonly double _q90;

    /// <summary>The card.</summary>
    public ModelCard Card { get; }

    private BoneAgeEstimator(ModelCard card, ResNet18Backbone backbone, BoneAgeEnsemble ensemble, double q90)
    {
        Card = card;
        _backbone = backbone;
        _ensemble = ensemble;
        _prep = new RadiographPreprocessing(card.Preprocessing!.Width);
        _q90 = q90;
    }

    /// <summary>Opens a card written by <see cref="BoneAgeTrainer"/>.</summary>
    /// <exception cref="ModelCardException">The card is not such a card, or its file fails the sha256 check.</exception>
    public static BoneAgeEstimator Open(string cardPath)
    {
        var card = ModelCardReader.Read(cardPath);
        if (card.Runtime != "torchsharp" || card.Task != "bone-age-regression" || card.Postprocessing?.Kind != "regression-months-ensemble" || card.Preprocessing is null)
            throw new ModelCardException(card.CardPath, "postprocessing.kind", "is not a bone-age ensemble card written by `vigil boneage train` (runtime torchsharp, kind regression-months-ensemble).");
        var p = card.Postprocessing.Parameters;
        if (!p.TryGetValue("members", out var members) || !p.TryGetValue("interval_q90_months", out var q90))
            throw new ModelCardException(card.CardPath, "postprocessing.parameters", "needs members and interval_q90_months.");
        var ensemble = new BoneAgeEnsemble((int)members);
        TrainedModelCard.LoadWeights(card, ensemble);
        ensemble.eval();
        return new BoneAgeEstimator(card, ResNet18Backbone.Load(), ensemble, q90);
    }

    /// <summary>Estimates one radiograph; a file that cannot be decoded or fails the checks is withheld with the reason.</summary>
    public BoneAgePrediction Estimate(string image, bool male, double reported = double.NaN, RadiographAugmentation? augmentation = null)
    {
        Mat? decoded = null;
        try
        {
            try { decoded = RadiographPreprocessing.Decode(image); }
            catch (InvalidDataException e) { return new BoneAgePrediction(image, male, reported, double.NaN, double.NaN, double.NaN, double.NaN, e.Message); }
            var a = augmentation ?? RadiographAugmentation.None;
            using (var changed = RadiographPreprocessing.Apply(decoded, a))
                if (RadiographChecks.Reason(changed) is { } reason)
                    return new BoneAgePrediction(image, male, reported, double.NaN, double.NaN, double.NaN, double.NaN, reason);
            var size = _prep.Size;
            using var scope = NewDisposeScope();
            var one = _backbone.Features(tensor(_prep.Prepare(decoded, a), [1, 3, size, size]));
            // The mirrored copy in feature space, as in training (see BoneAgeTrainer).
            var features = cat([one, one.flip(3)], 0);
            var all = _ensemble.PredictAll(features, tensor(new[] { male ? 1f : 0f, male ? 1f : 0f })).data<float>().ToArray();
            var mean = all.Average(v => (double)v);
            var sd = Math.Sqrt(all.Average(v => (v - mean) * (v - mean)));
            var half = Math.Sqrt(_q90 * _q90 + Math.Pow(1.645 * sd, 2));
            var withheld = sd > 24 ? $"ensemble members disagree by {sd:0} months (SD): the image is unlike the training radiographs" : null;
            return new BoneAgePrediction(image, male, reported, mean, mean - half, mean + half, sd, withheld);
        }
        finally
        {
            decoded?.Dispose();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _ensemble.Dispose();
        _backbone.Dispose();
    }
}
