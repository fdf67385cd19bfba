using Vigil.Ppg.Data;

namespace Vigil.Ppg.Evaluation;

/// <summary>
/// Runs every <c>NAME.csv</c> that has a <c>NAME.bpm.csv</c> in a folder through the pipeline
/// and scores exactly the windows the reference lists.
/// </summary>
public static class PpgEvaluator
{
    /// <summary>Evaluates the recordings in <paramref name="directory"/>; <paramref name="run"/> turns a recording into its window results.</summary>
    public static async Task<PpgEvaluation> EvaluateDirectoryAsync(
        string directory, Func<PpgRecording, CancellationToken, Task<IReadOnlyList<PpgWindowResult>>> run, CancellationToken cancellationToken = default)
    {
        var names = RecordingNames(directory);
        var scores = new List<RecordingScore>();
        foreach (var name in names)
        {
            var recording = PpgCsvReader.Read(Path.Combine(directory, name + ".csv"));
            var reference = ReferenceHeartRate.Read(Path.Combine(directory, name + ".bpm.csv"));
            var results = await run(recording, cancellationToken).ConfigureAwait(false);
            scores.Add(Score(name, results, reference));
        }
        return new PpgEvaluation(scores);
    }

    /// <summary>Names of the recordings in <paramref name="directory"/>: every <c>NAME.csv</c> with a <c>NAME.bpm.csv</c>, in ordinal order.</summary>
    public static IReadOnlyList<string> RecordingNames(string directory)
    {
        if (!Directory.Exists(directory)) throw new PpgInputException($"{directory}: no such directory.");
        var names = Directory.GetFiles(directory, "*.bpm.csv")
            .Select(p => Path.GetFileName(p)[..^".bpm.csv".Length])
            .Where(n => File.Exists(Path.Combine(directory, n + ".csv")))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (names.Count == 0) throw new PpgInputException($"{directory}: no NAME.csv with a NAME.bpm.csv beside it.");
        return names;
    }

    /// <summary>Pairs results with the reference windows by start time and computes the errors.</summary>
    public static RecordingScore Score(string name, IReadOnlyList<PpgWindowResult> results, IReadOnlyList<ReferenceWindow> reference)
    {
        var byStart = new Dictionary<long, PpgWindowResult>();
        foreach (var r in results) byStart[Key(r.WindowStartSeconds)] = r;
        var scored = new List<ScoredWindow>(reference.Count);
        foreach (var w in reference)
        {
            if (!byStart.TryGetValue(Key(w.StartSeconds), out var r))
                throw new PpgInputException($"{name}: the reference lists window [{w.StartSeconds}, {w.EndSeconds}) s but the pipeline produced no result for it (recording too short?).");
            scored.Add(new ScoredWindow(name, r, w.Bpm));
        }
        var ok = scored.Where(s => s.Result.Status == PpgStatus.Ok).ToList();
        return new RecordingScore(name, scored.Count,
            scored.Count == 0 ? double.NaN : scored.Average(s => s.AbsoluteError),
            ok.Count == 0 ? null : ok.Average(s => s.AbsoluteError),
            scored.Count == 0 ? 0 : (double)ok.Count / scored.Count,
            scored);
    }

    private static long Key(double seconds) => (long)Math.Round(seconds * 1000);

    /// <summary>Runs a recording straight through one <see cref="PatientPpgTracker"/> in 1 s batches (no stream runtime).</summary>
    public static IReadOnlyList<PpgWindowResult> RunDirect(PpgRecording recording, PpgTrackerOptions? options = null)
    {
        var tracker = new PatientPpgTracker(recording.Name, recording.PpgChannels, options, recording.SampleRateHz, recording.Identity);
        var results = new List<PpgWindowResult>();
        var batch = Math.Max(1, (int)Math.Round(recording.SampleRateHz));
        for (var i = 0; i < recording.Count; i += batch)
            tracker.Push(recording.Slice(recording.Name, i, Math.Min(batch, recording.Count - i)), results);
        return results;
    }
}
