namespace Vigil.Infrared.Faces;

/// <summary>Detection figures at one score threshold, a detection matching a face at IoU ≥ 0.5.</summary>
/// <param name="Threshold">Lowest score kept.</param>
/// <param name="Recall">Matched faces / labelled faces.</param>
/// <param name="Precision">Matched detections / detections (1 when there are none).</param>
/// <param name="TruePositives">Detections matched to a face.</param>
/// <param name="FalsePositives">Detections matched to none.</param>
/// <param name="Faces">Labelled faces.</param>
public sealed record OperatingPoint(double Threshold, double Recall, double Precision, int TruePositives, int FalsePositives, int Faces)
{
    /// <summary>Harmonic mean of precision and recall.</summary>
    public double F1 => Precision + Recall > 0 ? 2 * Precision * Recall / (Precision + Recall) : 0;
}
