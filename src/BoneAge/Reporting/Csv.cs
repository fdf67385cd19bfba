using System.Text;

namespace Vigil.BoneAge.Reporting;

/// <summary>RFC 4180 quoting and splitting for the report (report.csv is written and read back with it, also by the ward console).</summary>
public static class Csv
{
    /// <summary>One CSV line of <paramref name="fields"/>, each quoted when it needs to be.</summary>
    public static string Line(IEnumerable<string> fields) => string.Join(',', fields.Select(Quote));

    /// <summary>The field, quoted (and its quotes doubled) when it holds a comma, a quote or a line break.</summary>
    public static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;

    /// <summary>The fields of one line; quoted fields may hold commas and doubled quotes.</summary>
    public static List<string> Split(string line)
    {
        var fields = new List<string>();
        var sb = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { sb.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else sb.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(sb.ToString()); sb.Clear(); }
            else sb.Append(c);
        }
        fields.Add(sb.ToString());
        return fields;
    }
}
