namespace Vigil.Infrared.Blinks;

/// <summary>
/// Fits <see cref="BlinkClassifier"/>: logistic regression (gradient descent, small L2 penalty) on candidates
/// marked blink / not blink by matching them to labels, and the probability threshold that gives the best
/// pooled event F1 on the same training recordings. Deterministic: no random initialisation.
/// </summary>
public static class BlinkTraining
{
    /// <summary>One training recording: its candidates and its labels on the frame clock.</summary>
    /// <param name="Candidates">Candidates from <see cref="BlinkDetector.Candidates"/>.</param>
    /// <param name="Labels">Labelled blinks on the frame clock.</param>
    public sealed record Example(IReadOnlyList<BlinkCandidate> Candidates, IReadOnlyList<BlinkEvent> Labels);

    /// <summary>Fits the classifier on the examples.</summary>
    public static BlinkClassifier Fit(IReadOnlyList<Example> examples, double toleranceMs = BlinkMatching.DefaultToleranceMs,
        int iterations = 3000, double learningRate = 0.2, double l2 = 1e-3)
    {
        var x = new List<double[]>();
        var y = new List<double>();
        var labelTotal = 0;
        foreach (var ex in examples)
        {
            var matched = BlinkMatching.Matched(ex.Candidates.Select(c => c.Event).ToList(), ex.Labels, toleranceMs);
            for (var i = 0; i < ex.Candidates.Count; i++) { x.Add(ex.Candidates[i].Features); y.Add(matched[i] ? 1 : 0); }
            labelTotal += ex.Labels.Count;
        }
        if (x.Count == 0) throw new ArgumentException("no candidates to train the blink classifier on");
        var n = x.Count;
        var d = BlinkCandidate.FeatureCount;
        var w = new double[d];
        var b = 0.0;
        var grad = new double[d];
        for (var it = 0; it < iterations; it++)
        {
            Array.Clear(grad);
            var gb = 0.0;
            for (var i = 0; i < n; i++)
            {
                var z = b;
                for (var j = 0; j < d; j++) z += w[j] * x[i][j];
                var err = 1 / (1 + Math.Exp(-z)) - y[i];
                for (var j = 0; j < d; j++) grad[j] += err * x[i][j];
                gb += err;
            }
            for (var j = 0; j < d; j++) w[j] -= learningRate * (grad[j] / n + l2 * w[j]);
            b -= learningRate * gb / n;
        }

        // Threshold with the best pooled F1 on the training candidates.
        var probe = new BlinkClassifier(w, b, 0.5);
        var p = x.Select(probe.Probability).ToArray();
        double bestF1 = -1, bestT = 0.5;
        for (var t = 0.05; t < 0.951; t += 0.025)
        {
            int tp = 0, fp = 0;
            for (var i = 0; i < n; i++)
                if (p[i] >= t) { if (y[i] > 0) tp++; else fp++; }
            var f1 = tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + (labelTotal - tp));
            if (f1 > bestF1) { bestF1 = f1; bestT = t; }
        }
        return new BlinkClassifier(w, b, Math.Round(bestT, 3));
    }
}
