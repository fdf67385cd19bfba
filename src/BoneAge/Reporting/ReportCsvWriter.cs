namespace Vigil.BoneAge.Reporting;

/// <summary>
/// Appends rows to <c>report.csv</c> and flushes each batch to disk, so a crash loses nothing
/// already scored. On open it reads the rows already there: images whose sha256 has an
/// <c>ok</c> row are skipped by a rerun (resumable).
/// </summary>
public sealed class ReportCsvWriter : IDisposable
{
    private readonly FileStream _stream;
    private readonly StreamWriter _writer;

    /// <summary>Opens (creating with a header when new) the report at <paramref name="path"/>.</summary>
    public ReportCsvWriter(string path)
    {
        Path_ = path;
        var exists = File.Exists(path) && new FileInfo(path).Length > 0;
        var done = new HashSet<string>(StringComparer.Ordinal);
        if (exists)
        {
            var lines = File.ReadAllLines(path);
            var header = Csv.Split(lines[0]);
            int iSha = header.IndexOf("sha256"), iStatus = header.IndexOf("status");
            if (iSha < 0 || iStatus < 0) throw new InvalidDataException($"{path} exists but is not a bone-age report (no sha256/status columns)");
            foreach (var line in lines.Skip(1))
            {
                var f = Csv.Split(line);
                if (f.Count > Math.Max(iSha, iStatus) && f[iStatus] == ReportRow.Ok && f[iSha].Length > 0) done.Add(f[iSha]);
            }
        }
        AlreadyScored = done;
        _stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        _writer = new StreamWriter(_stream) { NewLine = "\n" };
        if (!exists) { _writer.WriteLine(Csv.Line(ReportRow.Columns)); Flush(); }
    }

    private string Path_ { get; }

    /// <summary>sha256 values with an ok row from earlier runs.</summary>
    public IReadOnlySet<string> AlreadyScored { get; }

    /// <summary>Appends <paramref name="rows"/> and flushes them to disk.</summary>
    public void Append(IEnumerable<ReportRow> rows)
    {
        foreach (var r in rows) _writer.WriteLine(Csv.Line(r.Fields()));
        Flush();
    }

    private void Flush()
    {
        _writer.Flush();
        _stream.Flush(flushToDisk: true);
    }

    /// <inheritdoc />
    public void Dispose() => _writer.Dispose();

    /// <inheritdoc />
    public override string ToString() => Path_;
}
