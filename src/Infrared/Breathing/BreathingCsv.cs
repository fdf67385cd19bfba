using System.Globalization;
using System.Text;

namespace Vigil.Infrared.Breathing;

/// <summary>Writes breathing windows as CSV, one row per window (withheld ones with their reason).</summary>
public static class BreathingCsv
{
    /// <summary>The header row.</summary>
    public const string Header = "patient,window,start_s,end_s,status,rate_bpm,truth_bpm,reason,tracked_fraction,amplitude_c,peak_share,high_frequency_ratio,interval_cv,longest_pause_s,breaths";

    /// <summary>Writes <paramref name="windows"/> to <paramref name="path"/>; <paramref name="truth"/> (optional) fills truth_bpm from the window's start and end in seconds.</summary>
    public static void Write(string path, IEnumerable<BreathingWindow> windows, Func<double, double, double>? truth = null)
    {
        var sb = new StringBuilder(Header).Append('\n');
        static string F(double v, string format) => double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "";
        foreach (var w in windows)
        {
            double s = w.Start.TotalSeconds, e = w.End.TotalSeconds;
            sb.Append(Quote(w.PatientId)).Append(',').Append(w.Index).Append(',').Append(F(s, "0.###")).Append(',').Append(F(e, "0.###")).Append(',')
              .Append(w.Status == BreathingStatus.Ok ? "ok" : "withheld").Append(',').Append(F(w.RateBpm, "0.00")).Append(',')
              .Append(truth is null ? "" : F(truth(s, e), "0.00")).Append(',').Append(Quote(w.Reason ?? "")).Append(',')
              .Append(F(w.TrackedFraction, "0.000")).Append(',').Append(F(w.AmplitudeCelsius, "0.0000")).Append(',').Append(F(w.PeakShare, "0.000")).Append(',')
              .Append(F(w.HighFrequencyRatio, "0.000")).Append(',').Append(F(w.BreathIntervalCv, "0.000")).Append(',').Append(F(w.LongestPauseSeconds, "0.0")).Append(',')
              .Append(w.BreathCount).Append('\n');
        }
        File.WriteAllText(path, sb.ToString());
    }

    private static string Quote(string v) => v.IndexOfAny([',', '"', '\n']) < 0 ? v : "\"" + v.Replace("\"", "\"\"") + "\"";
}
