using System.Buffers.Binary;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Vigil.Infrared.Blinks;

/// <summary>
/// Reads the thermal-eye folder format: per recording <c>&lt;name&gt;.i16</c> (little-endian int16 centi-°C,
/// row-major, frame after frame), <c>&lt;name&gt;.frames.csv</c> (<c>frame,timestamp_ms</c>),
/// <c>&lt;name&gt;.meta.txt</c> (<c>frames= height= width= ... t0= label_file=</c>) and, when present,
/// <c>&lt;name&gt;.blinks.csv</c> (<c>start_ms,end_ms</c> on the label file's clock).
/// Any malformed file throws one <see cref="InvalidDataException"/> naming the file and the fault.
/// </summary>
public static partial class ThermalEyeFolder
{
    private const string TimeFormat = "yyyyMMdd_HHmmss_fff";

    /// <summary>Names of the recordings in <paramref name="folder"/> (one per <c>.i16</c> file), in ordinal order.</summary>
    public static IReadOnlyList<string> List(string folder)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{folder}: no such folder");
        return Directory.GetFiles(folder, "*.i16").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Reads every recording in <paramref name="folder"/>; throws when there is none.</summary>
    public static IReadOnlyList<ThermalEyeRecording> ReadAll(string folder)
    {
        var names = List(folder);
        if (names.Count == 0) throw new InvalidDataException($"{folder}: no thermal-eye recordings (*.i16) in the folder");
        return names.Select(n => Read(folder, n)).ToList();
    }

    /// <summary>Reads recording <paramref name="name"/> from <paramref name="folder"/>.</summary>
    public static ThermalEyeRecording Read(string folder, string name)
    {
        var basePath = Path.Combine(folder, name);
        var metaPath = basePath + ".meta.txt";
        var meta = ReadMeta(metaPath);
        var width = MetaInt(meta, "width", metaPath);
        var height = MetaInt(meta, "height", metaPath);
        var frameCount = MetaInt(meta, "frames", metaPath);
        if (width <= 0 || height <= 0 || frameCount <= 0)
            throw new InvalidDataException($"{metaPath}: width, height and frames must be positive (got {width}, {height}, {frameCount})");

        var framesPath = basePath + ".i16";
        var bytes = File.ReadAllBytes(framesPath);
        var frameBytes = width * height * 2;
        if (bytes.Length != (long)frameBytes * frameCount)
            throw new InvalidDataException(
                $"{framesPath}: {bytes.Length} bytes, expected {frameCount} frames × {width}×{height} int16 = {(long)frameBytes * frameCount} bytes");
        var frames = new float[frameCount][];
        for (var f = 0; f < frameCount; f++)
        {
            var frame = new float[width * height];
            for (var p = 0; p < frame.Length; p++)
                frame[p] = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(f * frameBytes + 2 * p, 2)) / 100f;
            frames[f] = frame;
        }

        var timesPath = basePath + ".frames.csv";
        var times = ReadCsv(timesPath, "frame", "timestamp_ms");
        if (times.Count != frameCount)
            throw new InvalidDataException($"{timesPath}: {times.Count} timestamps for {frameCount} frames");
        for (var i = 0; i < times.Count; i++)
        {
            if (times[i].A != i) throw new InvalidDataException($"{timesPath}: row {i + 2} has frame {times[i].A}, expected {i}");
            if (i > 0 && times[i].B < times[i - 1].B)
                throw new InvalidDataException($"{timesPath}: timestamps go backwards at frame {i} ({times[i - 1].B} then {times[i].B})");
        }

        var labelsPath = basePath + ".blinks.csv";
        List<BlinkEvent>? labels = null;
        if (File.Exists(labelsPath))
        {
            labels = [];
            foreach (var (s, e, line) in ReadCsv(labelsPath, "start_ms", "end_ms"))
            {
                if (e < s) throw new InvalidDataException($"{labelsPath}: line {line}: end_ms {e} before start_ms {s}");
                labels.Add(new BlinkEvent(s, e));
            }
        }

        var group = name.Contains("__", StringComparison.Ordinal) ? name[..name.IndexOf("__", StringComparison.Ordinal)] : "";
        var rest = group.Length > 0 ? name[(group.Length + 2)..] : name;
        var subject = rest.Split('_')[0];
        return new ThermalEyeRecording
        {
            Name = name, Group = group, Subject = subject, Width = width, Height = height,
            Frames = frames, TimestampsMs = times.Select(t => t.B).ToList(), Labels = labels,
            NameTime = TrailingTime(name),
            LabelNameTime = meta.TryGetValue("label_file", out var lf) ? TrailingTime(Path.GetFileNameWithoutExtension(lf)) : null,
            FirstFrameTime = meta.TryGetValue("t0", out var t0)
                ? DateTime.TryParseExact(t0, "yyyy-MM-ddTHH:mm:ss.FFFFFF", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
                    ? t : throw new InvalidDataException($"{metaPath}: t0 '{t0}' is not a time (yyyy-MM-ddTHH:mm:ss.fff)")
                : null,
        };
    }

    private static Dictionary<string, string> ReadMeta(string path)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var word in File.ReadAllText(path).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = word.IndexOf('=');
            if (eq > 0) result[word[..eq]] = word[(eq + 1)..];
        }
        return result;
    }

    private static int MetaInt(Dictionary<string, string> meta, string key, string path) =>
        !meta.TryGetValue(key, out var v) ? throw new InvalidDataException($"{path}: missing '{key}='")
        : int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n
        : throw new InvalidDataException($"{path}: '{key}={v}' is not an integer");

    // Two-column numeric CSV with the given header; every value finite.
    private static List<(double A, double B, int Line)> ReadCsv(string path, string first, string second)
    {
        var lines = File.ReadAllLines(path);
        var header = $"{first},{second}";
        if (lines.Length == 0 || lines[0].Trim() != header)
            throw new InvalidDataException($"{path}: expected the header '{header}', got '{(lines.Length == 0 ? "" : lines[0].Trim())}'");
        var rows = new List<(double, double, int)>();
        for (var i = 1; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0) continue;
            var cells = line.Split(',');
            if (cells.Length != 2 || !TryFinite(cells[0], out var a) || !TryFinite(cells[1], out var b))
                throw new InvalidDataException($"{path}: line {i + 1} '{line}' is not two finite numbers ({header})");
            rows.Add((a, b, i + 1));
        }
        return rows;
    }

    private static bool TryFinite(string s, out double v) =>
        double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out v) && double.IsFinite(v);

    private static DateTime? TrailingTime(string name)
    {
        var m = TrailingTimePattern().Match(name);
        return m.Success && DateTime.TryParseExact(m.Groups[1].Value, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : null;
    }

    [GeneratedRegex(@"(\d{8}_\d{6}_\d{3})$")]
    private static partial Regex TrailingTimePattern();
}
