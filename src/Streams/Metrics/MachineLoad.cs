using System.Globalization;

namespace Vigil.Streams.Metrics;

/// <summary>
/// The machine's load, for benchmark records: figures taken while other work runs on the box are
/// skewed, so every benchmark prints the load beside its numbers.
/// </summary>
public static class MachineLoad
{
    /// <summary>The 1-minute load average from /proc/loadavg; NaN where it cannot be read (not Linux).</summary>
    public static double OneMinuteAverage()
    {
        try { return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { return double.NaN; }
    }
}
