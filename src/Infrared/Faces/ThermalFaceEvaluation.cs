namespace Vigil.Infrared.Faces;

/// <summary>One detector's figures on a set of images.</summary>
/// <param name="Detector">Detector name with its preprocessing.</param>
/// <param name="Model">Model id@version and sha256.</param>
/// <param name="Images">Images evaluated.</param>
/// <param name="Faces">Labelled faces.</param>
/// <param name="AtOperatingThreshold">Figures at the detector's own threshold (the card's, for the adapted detector; 0.5 for the others); null when it has none.</param>
/// <param name="BestRecallAtPrecision08">The highest recall at precision ≥ 0.8 over all thresholds (chosen on this split: generous); null when no threshold reaches 0.8.</param>
/// <param name="BestF1">The point of highest F1 over all thresholds.</param>
public sealed record DetectorFigures(string Detector, string Model, int Images, int Faces,
    OperatingPoint? AtOperatingThreshold, OperatingPoint? BestRecallAtPrecision08, OperatingPoint? BestF1);

/// <summary>Recall at one threshold for labelled faces in one width range.</summary>
/// <param name="Widths">The range of labelled widths, pixels, e.g. "10-16".</param>
/// <param name="Found">Faces found at IoU 0.5.</param>
/// <param name="Faces">Labelled faces in the range.</param>
public sealed record RecallByWidth(string Widths, int Found, int Faces)
{
    /// <summary>Found / faces (0 without faces).</summary>
    public double Recall => Faces == 0 ? 0 : Found / (double)Faces;
}

/// <summary>Runs face detectors over labelled chips images and reports recall and precision at IoU 0.5.</summary>
public static class ThermalFaceEvaluation
{
    /// <summary>Lowest score any detector is asked for, so the curve covers the useful thresholds.</summary>
    public const float CurveFloor = 0.05f;

    /// <summary>Evaluates <paramref name="detector"/> on <paramref name="images"/> (labelled ones only).</summary>
    /// <param name="detector">The detector.</param>
    /// <param name="images">Images with labels.</param>
    /// <param name="operatingThreshold">The detector's own threshold, reported separately.</param>
    /// <param name="perImage">Optional: called with each image and its scored detections (hit or not) at the curve floor.</param>
    public static DetectorFigures Evaluate(IThermalFaceDetector detector, IEnumerable<ChipsImage> images, double operatingThreshold,
        Action<ChipsImage, IReadOnlyList<(ThermalFace Detection, bool Hit)>>? perImage = null)
    {
        ArgumentNullException.ThrowIfNull(detector);
        var curve = new DetectionCurve();
        var count = 0;
        foreach (var image in images.Where(i => i.Labelled))
        {
            using var bgr = ChipsDataset.ReadImage(image.Path);
            var hits = curve.Add(detector.Detect(bgr, CurveFloor), image.Faces);
            perImage?.Invoke(image, hits);
            count++;
        }
        var p = detector.Provenance;
        return new DetectorFigures(detector.Name, $"{p.ModelId}@{p.Version} sha256 {p.Sha256}", count, curve.Faces,
            curve.At(operatingThreshold), curve.BestRecallAtPrecision(0.8), curve.BestF1());
    }

    /// <summary>Edges (pixels) of the width ranges <see cref="ByWidth"/> reports: under 10, 10–16, 16–24, 24 and more.</summary>
    public static IReadOnlyList<float> WidthEdges { get; } = [10, 16, 24];

    /// <summary>Recall per labelled-face width range of <paramref name="detector"/> at <paramref name="threshold"/> on <paramref name="images"/>.</summary>
    public static IReadOnlyList<RecallByWidth> ByWidth(IThermalFaceDetector detector, IEnumerable<ChipsImage> images, float threshold)
    {
        ArgumentNullException.ThrowIfNull(detector);
        var found = new int[WidthEdges.Count + 1];
        var faces = new int[WidthEdges.Count + 1];
        foreach (var image in images.Where(i => i.Labelled))
        {
            using var bgr = ChipsDataset.ReadImage(image.Path);
            var taken = DetectionCurve.Found(detector.Detect(bgr, threshold), image.Faces);
            for (var t = 0; t < image.Faces.Count; t++)
            {
                var bin = WidthEdges.Count(e => image.Faces[t].Width >= e);
                faces[bin]++;
                if (taken[t]) found[bin]++;
            }
        }
        return [.. Enumerable.Range(0, faces.Length).Select(b => new RecallByWidth(
            b == 0 ? $"<{WidthEdges[0]:0}" : b == WidthEdges.Count ? $">={WidthEdges[^1]:0}" : $"{WidthEdges[b - 1]:0}-{WidthEdges[b]:0}", found[b], faces[b]))];
    }
}
