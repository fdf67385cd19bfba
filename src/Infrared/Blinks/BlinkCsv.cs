using System.Globalization;
using System.Text;

namespace Vigil.Infrared.Blinks;

/// <summary>Writes detected blinks as CSV: one row per blink, <c>recording,start_ms,end_ms</c> on the recording's own clock.</summary>
public static class BlinkCsv
{
    /// <summary>The header line.</summary>
    public const string Header = "recording,start_ms,end_ms";

    /// <summary>Writes the rows of every recording, in the order given.</summary>
    public static void Write(string path, IEnumerable<(string Recording, IReadOnlyList<BlinkEvent> Blinks)> results)
    {
        var sb = new StringBuilder(Header).Append('\n');
        foreach (var (name, blinks) in results)
            foreach (var b in blinks)
                sb.Append(string.Create(CultureInfo.InvariantCulture, $"{name},{b.StartMs:0},{b.EndMs:0}\n"));
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        File.WriteAllText(path, sb.ToString());
    }
}
