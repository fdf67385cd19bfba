namespace Vigil.Infrared.Blinks;

/// <summary>
/// The second stage of <see cref="BlinkDetector"/>: a logistic regression on each candidate departure's
/// features (<see cref="BlinkCandidate.Features"/>) that keeps blinks and drops other departures (noise,
/// head motion, talking). Trained by <see cref="BlinkTraining.Fit"/>; <see cref="Default"/> was fitted on all
/// 32 thermal-eye recordings by <c>vigil ir blinks --input DIR --eval</c> (see docs/infrared.md, ## Blinks).
/// Research model: NOT FOR CLINICAL USE.
/// </summary>
/// <param name="Weights">One weight per feature.</param>
/// <param name="Bias">Intercept.</param>
/// <param name="Threshold">A candidate is a blink when its probability is at least this.</param>
public sealed record BlinkClassifier(double[] Weights, double Bias, double Threshold)
{
    /// <summary>
    /// Fitted on all 32 thermal-eye recordings with the default <see cref="BlinkDetectorOptions"/> (labels at the
    /// frame clock − 120 ms); training event F1 0.844. The LOSO figures never use it: each fold fits its own.
    /// </summary>
    public static BlinkClassifier Default { get; } = new([0.8851, 1.4194, 1.6596], -3.1806, 0.475);

    /// <summary>Probability that the candidate is a blink.</summary>
    public double Probability(IReadOnlyList<double> features)
    {
        if (features.Count != Weights.Length) throw new ArgumentException($"classifier expects {Weights.Length} features, got {features.Count}");
        var z = Bias;
        for (var i = 0; i < Weights.Length; i++) z += Weights[i] * features[i];
        return 1 / (1 + Math.Exp(-z));
    }

    /// <summary>Whether the candidate is kept.</summary>
    public bool Accepts(IReadOnlyList<double> features) => Probability(features) >= Threshold;
}
