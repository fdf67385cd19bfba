using System.Globalization;

namespace Vigil.Ppg.Data;

/// <summary>One reference window of a <c>.bpm.csv</c> file.</summary>
/// <param name="StartSeconds">Window start.</param>
/// <param name="EndSeconds">Window end.</param>
/// <param name="Bpm">ECG-derived heart rate.</param>
public readonly record struct ReferenceWindow(double StartSeconds, double EndSeconds, double Bpm);

/// <summary>Reads <c>window_start_s,window_end_s,bpm</c> reference files.</summary>
public static class ReferenceHeartRate
{
    /// <summary>Loads <paramref name="path"/>; errors name the file and line.</summary>
    public static IReadOnlyList<ReferenceWindow> Read(string path)
    {
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || lines[0].Trim().TrimStart('\uFEFF') != "window_start_s,window_end_s,bpm")
            throw new PpgInputException($"{path}: line 1: expected header 'window_start_s,window_end_s,bpm'.");
        var result = new List<ReferenceWindow>(lines.Length);
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            var f = lines[i].Split(',');
            if (f.Length != 3) throw new PpgInputException($"{path}: line {i + 1}: expected 3 fields, found {f.Length}.");
            var v = new double[3];
            for (var j = 0; j < 3; j++)
                if (!double.TryParse(f[j], NumberStyles.Float, CultureInfo.InvariantCulture, out v[j]) || !double.IsFinite(v[j]))
                    throw new PpgInputException($"{path}: line {i + 1}: '{f[j]}' is not a finite number.");
            result.Add(new ReferenceWindow(v[0], v[1], v[2]));
        }
        return result;
    }
}
