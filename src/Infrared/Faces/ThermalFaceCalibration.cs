using System.Globalization;

namespace Vigil.Infrared.Faces;

/// <summary>The operating point chosen on the validation split.</summary>
/// <param name="Passes">The pass setting chosen.</param>
/// <param name="Threshold">The score threshold chosen.</param>
/// <param name="Validation">Validation figures at that threshold.</param>
public sealed record ThermalFaceOperatingChoice(ThermalFacePasses Passes, double Threshold, OperatingPoint Validation);

/// <summary>
/// Chooses the detector's operating point on the validation split only: for each pass setting in
/// <see cref="ThermalFacePasses.Candidates"/>, the highest-recall threshold at precision ≥
/// <see cref="TargetPrecision"/> (a margin over the 0.8, since a threshold chosen on one split
/// loses some precision on another); the setting with the highest such recall wins (ties: fewer passes,
/// then higher precision). The test split is never read here.
/// </summary>
public static class ThermalFaceCalibration
{
    /// <summary>Precision the validation operating point must reach.</summary>
    public const double TargetPrecision = 0.85;

    /// <summary>Chooses among the candidates for the card at <paramref name="cardPath"/> on <paramref name="validation"/>; one line per candidate goes to <paramref name="log"/>.</summary>
    public static ThermalFaceOperatingChoice Choose(string cardPath, IReadOnlyList<ChipsImage> validation, TextWriter log) =>
        Choose(cardPath, validation, ThermalFacePasses.Candidates, log);

    /// <summary>Chooses among <paramref name="candidates"/> for the card at <paramref name="cardPath"/> on <paramref name="validation"/>.</summary>
    public static ThermalFaceOperatingChoice Choose(string cardPath, IReadOnlyList<ChipsImage> validation, IReadOnlyList<ThermalFacePasses> candidates, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(validation);
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(log);
        if (validation.Count == 0 || candidates.Count == 0) throw new ArgumentException("calibration needs validation images and at least one pass setting.");
        ThermalFaceOperatingChoice? best = null;
        foreach (var passes in candidates)
        {
            using var detector = ThermalFaceDetector.Open(cardPath, passes);
            var curve = new DetectionCurve();
            foreach (var image in validation.Where(i => i.Labelled))
            {
                using var bgr = ChipsDataset.ReadImage(image.Path);
                curve.Add(detector.Detect(bgr, ThermalFaceEvaluation.CurveFloor), image.Faces);
            }
            var point = curve.BestRecallAtPrecision(TargetPrecision) ?? curve.BestF1() ?? curve.At(0.5);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"validation, {passes}: recall {point.Recall:F3} precision {point.Precision:F3} at threshold {point.Threshold:F3} (best F1 {curve.BestF1()?.F1 ?? 0:F3})"));
            if (best is null || point.Recall > best.Validation.Recall + 1e-9
                || (Math.Abs(point.Recall - best.Validation.Recall) < 1e-9 && point.Precision > best.Validation.Precision + 1e-9))
                best = new ThermalFaceOperatingChoice(passes, point.Threshold, point);
        }
        return best!;
    }
}
