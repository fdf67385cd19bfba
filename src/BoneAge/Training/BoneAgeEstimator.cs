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
    private readonly RadiographPreprocessing[] _scales;
    private readonly double _q90;

    /// <summary>The card.</summary>
    public ModelCard Card { get; }

    private BoneAgeEstimator(ModelCard card, ResNet18Backbone backbone, BoneAgeEnsemble ensemble, IReadOnlyList<int> sizes, double q90)
    {
        Card = card;
        _backbone = backbone;
        _ensemble = ensemble;
        _scales = sizes.Select(s => new RadiographPreprocessing(s)).ToArray();
        _q90 = q90;
    }

    /// <summary>Input sides in pixels, one backbone pass each.</summary>
    public IReadOnlyList<int> Sizes => _scales.Select(s => s.Size).ToArray();

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
        // Cards with one scale may omit the scale parameters: the preprocessing width is the scale.
        var scales = p.TryGetValue("scales", out var sc) ? (int)sc : 1;
        var sizes = new List<int>();
        for (var s = 1; s <= scales; s++)
            sizes.Add(p.TryGetValue(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"size_{s}_px"), out var px) ? (int)px
                : scales == 1 ? card.Preprocessing.Width
                : throw new ModelCardException(card.CardPath, "postprocessing.parameters", $"says {scales} scales but has no size_{s}_px."));
        if (scales < 1 || members < scales || (int)members % scales != 0 || sizes.Any(s => s < 32))
            throw new ModelCardException(card.CardPath, "postprocessing.parameters", $"members ({members}) must be a positive multiple of scales ({scales}), each size at least 32 px.");
        var ensemble = new BoneAgeEnsemble((int)members);
        TrainedModelCard.LoadWeights(card, ensemble);
        ensemble.eval();
        return new BoneAgeEstimator(card, ResNet18Backbone.Load(), ensemble, sizes, q90);
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
            using var scope = NewDisposeScope();
            var sex = tensor(new[] { male ? 1f : 0f, male ? 1f : 0f });
            var perScale = _ensemble.Heads.Count / _scales.Length;
            var all = new List<float>();
            for (var s = 0; s < _scales.Length; s++)
            {
                var size = _scales[s].Size;
                var one = _backbone.Features(tensor(_scales[s].Prepare(decoded, a), [1, 3, size, size]));
                // The mirrored copy in feature space, as in training (see BoneAgeTrainer).
                var features = cat([one, one.flip(3)], 0);
                all.AddRange(_ensemble.Predict(features, sex, s * perScale, perScale).data<float>().ToArray());
            }
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
