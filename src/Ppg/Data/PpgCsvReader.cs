using System.Globalization;
using System.Security.Cryptography;

namespace Vigil.Ppg.Data;

/// <summary>
/// Reads <c>t_s,ppg1[,ppg2[,ppg3]],acc_x,acc_y,acc_z[,gyro_x,gyro_y,gyro_z]</c> files (any column
/// order, invariant culture; 1 to 3 PPG channels, the gyroscope optional but all three axes or none). Every problem is a <see cref="PpgInputException"/> naming the file and line:
/// missing columns, short rows, non-numbers, NaN/Inf, timestamps that repeat or go back,
/// and a sampling rate outside 20-1024 Hz. Gaps in time are accepted (they flag windows later).
/// </summary>
public static class PpgCsvReader
{
    /// <summary>Lowest and highest sampling rates accepted (the pipeline targets 25-256 Hz devices).</summary>
    public const double MinRateHz = 20, MaxRateHz = 1024;

    /// <summary>Loads and validates <paramref name="path"/>.</summary>
    public static PpgRecording Read(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        { throw new PpgInputException($"{path}: cannot read: {e.Message}"); }
        var name = Path.GetFileName(path);
        if (name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)) name = name[..^4];
        var identity = $"{Path.GetFileName(path)}#sha256:{Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]}";
        using var reader = new StreamReader(new MemoryStream(bytes));
        return Parse(reader, path, name, identity);
    }

    /// <summary>Parses CSV text; <paramref name="source"/> names it in errors.</summary>
    public static PpgRecording Parse(TextReader reader, string source, string name, string identity)
    {
        var header = reader.ReadLine() ?? throw new PpgInputException($"{source}: empty file (expected header t_s,ppg1,ppg2,acc_x,acc_y,acc_z).");
        var columns = header.Trim().TrimStart('\uFEFF').Split(',').Select(c => c.Trim()).ToArray();
        int Find(string column, bool required)
        {
            var i = Array.IndexOf(columns, column);
            if (i < 0 && required)
                throw new PpgInputException($"{source}: line 1: missing column '{column}' (header is '{header}').");
            return i;
        }
        var ti = Find("t_s", true);
        var ppgIdx = new List<int> { Find("ppg1", true) };
        foreach (var extra in new[] { "ppg2", "ppg3" }) { var i = Find(extra, false); if (i >= 0) ppgIdx.Add(i); }
        int xi = Find("acc_x", true), yi = Find("acc_y", true), zi = Find("acc_z", true);
        var gyroIdx = new[] { Find("gyro_x", false), Find("gyro_y", false), Find("gyro_z", false) };
        var gyroCount = gyroIdx.Count(i => i >= 0);
        if (gyroCount is 1 or 2)
            throw new PpgInputException($"{source}: line 1: a gyroscope needs gyro_x, gyro_y and gyro_z (header is '{header}').");
        var gyro = gyroCount == 3 ? new[] { new List<float>(1 << 15), new List<float>(1 << 15), new List<float>(1 << 15) } : null;

        var t = new List<double>(1 << 15);
        var ppg = ppgIdx.Select(_ => new List<float>(1 << 15)).ToArray();
        var ax = new List<float>(1 << 15); var ay = new List<float>(1 << 15); var az = new List<float>(1 << 15);
        var lineNo = 1;
        var fields = new Range[columns.Length + 1];
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNo++;
            if (line.Length == 0) continue;
            var n = line.AsSpan().Split(fields, ',');
            if (n != columns.Length)
                throw new PpgInputException($"{source}: line {lineNo}: expected {columns.Length} fields ({string.Join(',', columns)}), found {n}.");
            double Field(int col)
            {
                var text = line.AsSpan()[fields[col]].Trim();
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                    throw new PpgInputException($"{source}: line {lineNo}: column '{columns[col]}' value '{text}' is not a number.");
                if (!double.IsFinite(value))
                    throw new PpgInputException($"{source}: line {lineNo}: column '{columns[col]}' is {text} (NaN/Inf are not valid samples).");
                return value;
            }
            var ts = Field(ti);
            if (t.Count > 0)
            {
                var prev = t[^1];
                if (ts == prev)
                    throw new PpgInputException($"{source}: line {lineNo}: timestamp {ts.ToString(CultureInfo.InvariantCulture)} duplicates line {lineNo - 1}.");
                if (ts < prev)
                    throw new PpgInputException($"{source}: line {lineNo}: timestamp {ts.ToString(CultureInfo.InvariantCulture)} goes back in time (previous line has {prev.ToString(CultureInfo.InvariantCulture)}).");
            }
            t.Add(ts);
            for (var c = 0; c < ppgIdx.Count; c++) ppg[c].Add((float)Field(ppgIdx[c]));
            ax.Add((float)Field(xi)); ay.Add((float)Field(yi)); az.Add((float)Field(zi));
            if (gyro is not null) for (var a = 0; a < 3; a++) gyro[a].Add((float)Field(gyroIdx[a]));
        }
        if (t.Count < 2) throw new PpgInputException($"{source}: {t.Count} sample row(s); a recording needs at least 2.");
        var dts = new double[t.Count - 1];
        for (var i = 1; i < t.Count; i++) dts[i - 1] = t[i] - t[i - 1];
        Array.Sort(dts);
        var rate = 1 / dts[dts.Length / 2];
        if (!(rate >= MinRateHz && rate <= MaxRateHz))
            throw new PpgInputException($"{source}: sampling rate {rate.ToString("0.###", CultureInfo.InvariantCulture)} Hz derived from t_s is outside {MinRateHz}-{MaxRateHz} Hz (is t_s in seconds?).");
        return new PpgRecording(name, identity, rate, t.ToArray(), ppg.Select(p => p.ToArray()).ToArray(), ax.ToArray(), ay.ToArray(), az.ToArray(),
            gyro?.Select(g => g.ToArray()).ToArray());
    }
}
