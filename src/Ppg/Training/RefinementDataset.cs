using Vigil.Ppg.Data;
using Vigil.Ppg.Evaluation;
using Vigil.Ppg.Synthetic;

namespace Vigil.Ppg.Training;

/// <summary>
/// Builds refinement examples by running the spectral tracker (without a refinement) over
/// recordings with known truth and recording, per reference window, its features and error.
/// </summary>
public static class RefinementDataset
{
    /// <summary>Examples from one recording scored against <paramref name="truth"/>.</summary>
    public static List<RefinementExample> FromRecording(PpgRecording recording, IReadOnlyList<ReferenceWindow> truth, string group, PpgTrackerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(recording);
        var tracker = new PatientPpgTracker(recording.Name, recording.PpgChannels, (options ?? PpgTrackerOptions.Default) with { Refinement = null },
            recording.SampleRateHz, recording.Identity);
        var byStart = new Dictionary<long, (PpgWindowResult Result, float[] Features)>();
        tracker.WindowObserver = (r, f) => byStart[(long)Math.Round(r.WindowStartSeconds * 1000)] = (r, f);
        var results = new List<PpgWindowResult>();
        var batch = Math.Max(1, (int)Math.Round(recording.SampleRateHz));
        for (var i = 0; i < recording.Count; i += batch)
            tracker.Push(recording.Slice(recording.Name, i, Math.Min(batch, recording.Count - i)), results);
        var examples = new List<RefinementExample>(truth.Count);
        foreach (var w in truth)
        {
            if (!byStart.TryGetValue((long)Math.Round(w.StartSeconds * 1000), out var x)) continue;
            // Windows withheld for a data reason (dropout, flat, clipping) are not the refinement's business.
            if (x.Result.Status == PpgStatus.Withheld && x.Result.Reason is { } reason && !reason.StartsWith("motion", StringComparison.Ordinal)) continue;
            examples.Add(new RefinementExample(group, x.Features, Math.Abs(x.Result.Bpm - w.Bpm)));
        }
        return examples;
    }

    /// <summary>Examples from every <c>NAME.csv</c> with a <c>NAME.bpm.csv</c> in <paramref name="directory"/>, grouped by recording.</summary>
    public static Dictionary<string, List<RefinementExample>> FromDirectory(string directory, IProgress<string>? progress = null)
    {
        var result = new Dictionary<string, List<RefinementExample>>(StringComparer.Ordinal);
        foreach (var name in PpgEvaluator.RecordingNames(directory))
        {
            var rec = PpgCsvReader.Read(Path.Combine(directory, name + ".csv"));
            var truth = ReferenceHeartRate.Read(Path.Combine(directory, name + ".bpm.csv"));
            result[name] = FromRecording(rec, truth, name);
            progress?.Report($"features: {name} ({result[name].Count} windows)");
        }
        return result;
    }

    /// <summary>Examples from <paramref name="count"/> generated stress recordings (seeds from <paramref name="firstSeed"/>): augmentation with known truth.</summary>
    public static List<RefinementExample> Generated(int count, int firstSeed, IProgress<string>? progress = null)
    {
        var cases = Enum.GetValues<StressCase>().Length;
        var scenarios = StressScenario.Suite(Math.Max(1, (count + cases - 1) / cases), firstSeed).Take(count).ToList();
        var all = new List<RefinementExample>();
        foreach (var s in scenarios)
        {
            var g = StressGenerator.Generate(s);
            all.AddRange(FromRecording(g.Recording, g.Truth, RefinementOperatingPoint.GeneratedPrefix + s.Name));
        }
        progress?.Report($"features: {scenarios.Count} generated recordings ({all.Count} windows)");
        return all;
    }
}
