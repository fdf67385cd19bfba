using System.Globalization;

namespace Vigil.BoneAge.Scoring;

/// <summary>
/// Progress with images/s and ETA: a bar redrawn in place on a terminal, otherwise a plain line at
/// most every few seconds (and at the end), so logs stay readable.
/// </summary>
internal sealed class ProgressReporter(TextWriter? output, int total, bool interactive, TimeProvider time)
{
    private readonly long _start = time.GetTimestamp();
    private TimeSpan? _lastLine;
    private int _lastDone = -1;
    private static readonly TimeSpan LineInterval = TimeSpan.FromSeconds(5);

    public void Report(int done, int failed, bool final = false)
    {
        if (output is null) return;
        var elapsed = time.GetElapsedTime(_start);
        if (!interactive && !final && _lastLine is { } last && elapsed - last < LineInterval) return;
        // The final call repeats the last line only when something changed since.
        if (!interactive && final && done == _lastDone) return;
        _lastDone = done;
        _lastLine = elapsed;
        output.Write(interactive ? "\r" + Format(done, failed, elapsed) + (final ? "\n" : "") : Format(done, failed, elapsed) + "\n");
        output.Flush();
    }

    internal string Format(int done, int failed, TimeSpan elapsed)
    {
        var rate = elapsed.TotalSeconds > 0 ? done / elapsed.TotalSeconds : 0;
        var eta = rate > 0 ? TimeSpan.FromSeconds((total - done) / rate) : (TimeSpan?)null;
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{done}/{total} images ({failed} failed)  {rate:0.0} img/s  ETA {(eta is { } e ? e.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : "--")}");
        if (!interactive) return "boneage: " + text;
        const int width = 30;
        var filled = total == 0 ? width : (int)Math.Round(width * (double)done / total);
        return "[" + new string('#', filled) + new string('.', width - filled) + "] " + text;
    }
}
