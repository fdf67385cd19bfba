namespace Vigil.Infrared.Breathing.Synthetic;

/// <summary>How breathing windows compare with a generated sequence's truth.</summary>
/// <param name="Windows">Windows produced.</param>
/// <param name="Reported">Windows with a rate (not withheld).</param>
/// <param name="MaeBpm">Mean absolute error of reported rates against the true mean rate over each window, breaths/min.</param>
/// <param name="MaxErrorBpm">Largest absolute error of a reported rate.</param>
/// <param name="CleanWindows">Windows free of any artefact episode.</param>
/// <param name="CleanCoverage">Share of clean windows that reported a rate.</param>
/// <param name="ArtefactWindowsReported">Windows overlapping an artefact that still reported a rate.</param>
public sealed record BreathingScore(int Windows, int Reported, double MaeBpm, double MaxErrorBpm, int CleanWindows, double CleanCoverage, int ArtefactWindowsReported)
{
    /// <summary>Share of all windows that reported a rate.</summary>
    public double Coverage => Windows == 0 ? 0 : (double)Reported / Windows;

    /// <summary>Scores <paramref name="windows"/> against <paramref name="truth"/>.</summary>
    public static BreathingScore Of(IReadOnlyList<BreathingWindow> windows, ThermalFaceSequence truth)
    {
        var errors = new List<double>();
        int clean = 0, cleanReported = 0, artefactReported = 0;
        foreach (var w in windows)
        {
            double from = w.Start.TotalSeconds, to = w.End.TotalSeconds;
            var isClean = truth.ArtefactSeconds(from, to) == 0;
            if (isClean) clean++;
            if (w.Status != BreathingStatus.Ok) continue;
            if (isClean) cleanReported++; else artefactReported++;
            errors.Add(Math.Abs(w.RateBpm - truth.MeanRate(from, to)));
        }
        return new BreathingScore(windows.Count, errors.Count, errors.Count > 0 ? errors.Average() : double.NaN, errors.Count > 0 ? errors.Max() : double.NaN,
            clean, clean > 0 ? (double)cleanReported / clean : 0, artefactReported);
    }
}
