namespace Vigil.Cli;

/// <summary>
/// A tiny parser for <c>--name value</c> and <c>--flag</c> options plus positional words,
/// shared by every command so they all read arguments the same way.
/// </summary>
internal sealed class CommandArguments
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    /// <summary>Words that are not options, in order.</summary>
    public List<string> Positional { get; } = new();

    public CommandArguments(IEnumerable<string> args, params string[] flags)
    {
        var flagSet = new HashSet<string>(flags, StringComparer.Ordinal);
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var a = e.Current;
            if (!a.StartsWith("--", StringComparison.Ordinal)) { Positional.Add(a); continue; }
            var eq = a.IndexOf('=');
            if (eq > 0) { _options[a[2..eq]] = a[(eq + 1)..]; continue; }
            var name = a[2..];
            if (flagSet.Contains(name)) { _options[name] = null; continue; }
            if (!e.MoveNext()) throw new CommandLineException($"option --{name} needs a value");
            _options[name] = e.Current;
        }
    }

    public bool Flag(string name) { _read.Add(name); return _options.ContainsKey(name); }

    public string? Get(string name) { _read.Add(name); return _options.GetValueOrDefault(name); }

    public string Require(string name) =>
        Get(name) ?? throw new CommandLineException($"missing required option --{name}");

    public int GetInt(string name, int fallback)
    {
        var v = Get(name);
        if (v is null) return fallback;
        return int.TryParse(v, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n)
            ? n : throw new CommandLineException($"--{name} expects an integer, got '{v}'");
    }

    public double GetDouble(string name, double fallback)
    {
        var v = Get(name);
        if (v is null) return fallback;
        return double.TryParse(v, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n)
            ? n : throw new CommandLineException($"--{name} expects a number, got '{v}'");
    }

    /// <summary>Throws when an option was given that no command read: typos are errors.</summary>
    public void RejectUnknown()
    {
        foreach (var k in _options.Keys)
            if (!_read.Contains(k)) throw new CommandLineException($"unknown option --{k}");
    }
}
