using System.Collections;
using System.Globalization;

namespace Vigil.Cluster.Configuration;

/// <summary>
/// Reads cluster.conf: an INI-like file of <c>[section]</c> headers and <c>key = value</c> lines
/// (format in docs/cluster.md), then applies <c>VIGIL_CLUSTER__SECTION__KEY</c> environment
/// overrides. Unknown sections or keys and values of the wrong type are errors naming the line
/// (or the variable).
/// </summary>
public static class ClusterConfigParser
{
    /// <summary>Prefix of environment variables that override the file.</summary>
    public const string EnvironmentPrefix = "VIGIL_CLUSTER__";

    private enum Kind { Text, PositiveInt, Duration, List, Hosts, Roles, Handler, ShardFunction, QueueType }

    private sealed record Setting(Kind Kind, Func<ClusterConfig, object, ClusterConfig> Apply);

    private sealed record ModelSetting(Kind Kind, Func<ModelServing, object, ModelServing> Apply);

    // One table per fixed section: key -> expected type and how it lands in the config.
    private static readonly Dictionary<string, Dictionary<string, Setting>> Sections = new(StringComparer.Ordinal)
    {
        ["broker"] = new(StringComparer.Ordinal)
        {
            ["hosts"] = new(Kind.Hosts, (c, v) => c with { Broker = c.Broker with { Hosts = (IReadOnlyList<BrokerEndpoint>)v } }),
            ["user"] = new(Kind.Text, (c, v) => c with { Broker = c.Broker with { User = (string)v } }),
            ["password"] = new(Kind.Text, (c, v) => c with { Broker = c.Broker with { Password = (string)v } }),
            ["vhost"] = new(Kind.Text, (c, v) => c with { Broker = c.Broker with { VirtualHost = (string)v } }),
            ["request_queue_type"] = new(Kind.QueueType, (c, v) => c with { Broker = c.Broker with { RequestQueueType = (string)v } }),
        },
        ["node"] = new(StringComparer.Ordinal)
        {
            ["name"] = new(Kind.Text, (c, v) => c with { Node = c.Node with { Name = (string)v } }),
            ["roles"] = new(Kind.Roles, (c, v) => c with { Node = c.Node with { Roles = (IReadOnlyList<string>)v } }),
        },
        ["timeouts"] = new(StringComparer.Ordinal)
        {
            ["request"] = new(Kind.Duration, (c, v) => c with { Timeouts = c.Timeouts with { Request = (TimeSpan)v } }),
            ["heartbeat"] = new(Kind.Duration, (c, v) => c with { Timeouts = c.Timeouts with { Heartbeat = (TimeSpan)v } }),
            ["node_expiry"] = new(Kind.Duration, (c, v) => c with { Timeouts = c.Timeouts with { NodeExpiry = (TimeSpan)v } }),
            ["drain"] = new(Kind.Duration, (c, v) => c with { Timeouts = c.Timeouts with { Drain = (TimeSpan)v } }),
            ["handoff"] = new(Kind.Duration, (c, v) => c with { Timeouts = c.Timeouts with { Handoff = (TimeSpan)v } }),
            ["reconnect_min"] = new(Kind.Duration, (c, v) => c with { Timeouts = c.Timeouts with { ReconnectMin = (TimeSpan)v } }),
            ["reconnect_max"] = new(Kind.Duration, (c, v) => c with { Timeouts = c.Timeouts with { ReconnectMax = (TimeSpan)v } }),
        },
        ["client"] = new(StringComparer.Ordinal)
        {
            ["max_in_flight"] = new(Kind.PositiveInt, (c, v) => c with { Client = c.Client with { MaxInFlight = (int)v } }),
            ["channels"] = new(Kind.PositiveInt, (c, v) => c with { Client = c.Client with { Channels = (int)v } }),
            ["confirm_window"] = new(Kind.PositiveInt, (c, v) => c with { Client = c.Client with { ConfirmWindow = (int)v } }),
            ["frame_max_requests"] = new(Kind.PositiveInt, (c, v) => c with { Client = c.Client with { FrameMaxRequests = (int)v } }),
            ["frame_max_bytes"] = new(Kind.PositiveInt, (c, v) => c with { Client = c.Client with { FrameMaxBytes = (int)v } }),
        },
        ["shard"] = new(StringComparer.Ordinal)
        {
            ["prefetch"] = new(Kind.PositiveInt, (c, v) => c with { Shard = c.Shard with { Prefetch = (int)v } }),
            ["weight"] = new(Kind.PositiveInt, (c, v) => c with { Shard = c.Shard with { Weight = (int)v } }),
            ["ring"] = new(Kind.Text, (c, v) => c with { Shard = c.Shard with { Ring = (string)v } }),
            ["function"] = new(Kind.ShardFunction, (c, v) => c with { Shard = c.Shard with { Function = (string)v } }),
            ["replay_windows"] = new(Kind.PositiveInt, (c, v) => c with { Shard = c.Shard with { ReplayWindows = (int)v } }),
        },
    };

    private static readonly Dictionary<string, ModelSetting> ModelKeys = new(StringComparer.Ordinal)
    {
        ["version"] = new(Kind.Text, (m, v) => m with { Version = (string)v }),
        ["capacity"] = new(Kind.PositiveInt, (m, v) => m with { Capacity = (int)v }),
        ["handler"] = new(Kind.Handler, (m, v) => m with { Handler = (string)v }),
        ["delay"] = new(Kind.Duration, (m, v) => m with { Delay = (TimeSpan)v }),
        ["path"] = new(Kind.Text, (m, v) => m with { Path = (string)v }),
        ["queue_type"] = new(Kind.QueueType, (m, v) => m with { QueueType = (string)v }),
    };

    /// <summary>Built-in handler names accepted by <c>handler =</c>.</summary>
    public static readonly IReadOnlyList<string> Handlers = ["echo", "sum", "onnx"];

    /// <summary>Roles accepted by <c>roles =</c>.</summary>
    public static readonly IReadOnlyList<string> Roles = ["serve", "shard"];

    /// <summary>Reads <paramref name="path"/> and applies overrides from the process environment.</summary>
    public static ClusterConfig Load(string path) =>
        Load(path, Environment.GetEnvironmentVariables());

    /// <summary>Reads <paramref name="path"/> and applies overrides from <paramref name="environment"/>.</summary>
    public static ClusterConfig Load(string path, IDictionary environment)
    {
        if (!File.Exists(path)) throw new ClusterConfigException($"{path}: cluster configuration file not found");
        return Parse(File.ReadAllText(path), path, environment);
    }

    /// <summary>Parses <paramref name="text"/> (named <paramref name="source"/> in errors), then applies overrides.</summary>
    public static ClusterConfig Parse(string text, string source, IDictionary? environment = null)
    {
        var config = new ClusterConfig();
        var models = new List<(ModelServing Model, string EnvSection)>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        string? section = null;
        int modelIndex = -1;
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string where = $"{source}:{i + 1}";
            string line = StripComment(lines[i]).Trim();
            if (line.Length == 0) continue;
            if (line.StartsWith('['))
            {
                if (!line.EndsWith(']')) throw new ClusterConfigException($"{where}: section header '{line}' lacks its closing ']'");
                var words = line[1..^1].Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (words.Length == 2 && words[0] == "model")
                {
                    if (models.Any(m => m.Model.Id == words[1])) throw new ClusterConfigException($"{where}: model '{words[1]}' is declared twice");
                    models.Add((new ModelServing { Id = words[1] }, EnvName("model " + words[1])));
                    modelIndex = models.Count - 1;
                    section = "model " + words[1];
                }
                else if (words.Length == 1 && Sections.ContainsKey(words[0])) { section = words[0]; modelIndex = -1; }
                else throw new ClusterConfigException(
                    $"{where}: unknown section [{string.Join(' ', words)}]; expected one of [{string.Join("], [", Sections.Keys)}] or [model NAME]");
                continue;
            }
            int eq = line.IndexOf('=');
            if (eq <= 0) throw new ClusterConfigException($"{where}: expected 'key = value', got '{line}'");
            if (section is null) throw new ClusterConfigException($"{where}: '{line}' appears before any [section]");
            string key = line[..eq].Trim(), value = line[(eq + 1)..].Trim();
            if (seen.TryGetValue(section + "/" + key, out int first))
                throw new ClusterConfigException($"{where}: key '{key}' in [{section}] is already set on line {first}");
            seen[section + "/" + key] = i + 1;
            if (modelIndex >= 0)
                models[modelIndex] = (ApplyModel(models[modelIndex].Model, key, value, where), models[modelIndex].EnvSection);
            else config = Apply(config, section, key, value, where);
        }

        // Environment overrides, in name order so the outcome does not depend on enumeration order.
        if (environment is not null)
        {
            var names = environment.Keys.OfType<string>()
                .Where(k => k.StartsWith(EnvironmentPrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal);
            foreach (var name in names)
            {
                string where = $"environment variable {name}";
                string value = (environment[name] as string ?? "").Trim();
                var parts = name[EnvironmentPrefix.Length..].Split("__");
                if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
                    throw new ClusterConfigException($"{where}: expected {EnvironmentPrefix}SECTION__KEY");
                string key = parts[1].ToLowerInvariant();
                var fixedSection = Sections.Keys.FirstOrDefault(s => EnvName(s) == parts[0]);
                if (fixedSection is not null) { config = Apply(config, fixedSection, key, value, where); continue; }
                int m = models.FindIndex(x => x.EnvSection == parts[0]);
                if (m < 0) throw new ClusterConfigException(
                    $"{where}: no section matches '{parts[0]}' (sections: {string.Join(", ", Sections.Keys.Select(EnvName).Concat(models.Select(x => x.EnvSection)))}; models are declared in the file)");
                models[m] = (ApplyModel(models[m].Model, key, value, where), models[m].EnvSection);
            }
        }

        config = config with { Models = models.Select(m => m.Model).ToList() };
        foreach (var m in config.Models)
            if (m.Handler == "onnx" && m.Path.Length == 0)
                throw new ClusterConfigException($"{source}: [model {m.Id}] has handler = onnx but no path = FILE.onnx");
        if (config.HasRole("serve") && config.Models.Count == 0)
            throw new ClusterConfigException($"{source}: node '{config.Node.Name}' has role 'serve' but no [model NAME] section");
        return config;
    }

    /// <summary>The environment spelling of a section: upper case, spaces, dots and dashes as '_'.</summary>
    public static string EnvName(string section) =>
        section.ToUpperInvariant().Replace(' ', '_').Replace('.', '_').Replace('-', '_');

    private static string StripComment(string line)
    {
        int hash = line.IndexOf('#');
        return hash >= 0 ? line[..hash] : line;
    }

    private static ClusterConfig Apply(ClusterConfig config, string section, string key, string value, string where)
    {
        if (!Sections[section].TryGetValue(key, out var setting))
            throw new ClusterConfigException(
                $"{where}: unknown key '{key}' in [{section}]; known keys: {string.Join(", ", Sections[section].Keys)}");
        return setting.Apply(config, Convert(setting.Kind, key, value, where));
    }

    private static ModelServing ApplyModel(ModelServing model, string key, string value, string where)
    {
        if (!ModelKeys.TryGetValue(key, out var setting))
            throw new ClusterConfigException(
                $"{where}: unknown key '{key}' in [model {model.Id}]; known keys: {string.Join(", ", ModelKeys.Keys)}");
        return setting.Apply(model, Convert(setting.Kind, key, value, where));
    }

    private static object Convert(Kind kind, string key, string value, string where)
    {
        if (value.Length == 0) throw new ClusterConfigException($"{where}: '{key}' has no value");
        switch (kind)
        {
            case Kind.Text:
                return value;
            case Kind.PositiveInt:
                if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n > 0) return n;
                throw new ClusterConfigException($"{where}: '{key}' expects a positive integer, got '{value}'");
            case Kind.Duration:
                return ParseDuration(value) ?? throw new ClusterConfigException(
                    $"{where}: '{key}' expects a duration such as 250ms, 5s or 2m, got '{value}'");
            case Kind.List:
                return SplitList(value);
            case Kind.Roles:
                var roles = SplitList(value);
                foreach (var r in roles)
                    if (!Roles.Contains(r)) throw new ClusterConfigException($"{where}: unknown role '{r}'; roles are {string.Join(", ", Roles)}");
                return roles;
            case Kind.Handler:
                if (!Handlers.Contains(value)) throw new ClusterConfigException($"{where}: unknown handler '{value}'; handlers are {string.Join(", ", Handlers)}");
                return value;
            case Kind.ShardFunction:
                if (value is not ("sequence" or "ppg")) throw new ClusterConfigException($"{where}: unknown shard function '{value}'; functions are sequence, ppg");
                return value;
            case Kind.QueueType:
                if (!QueueTypes.All.Contains(value)) throw new ClusterConfigException($"{where}: unknown queue type '{value}'; types are {string.Join(", ", QueueTypes.All)}");
                return value;
            case Kind.Hosts:
                var hosts = new List<BrokerEndpoint>();
                foreach (var h in SplitList(value))
                {
                    int colon = h.LastIndexOf(':');
                    if (colon < 0) { hosts.Add(new(h, 5672)); continue; }
                    if (colon == 0 || !int.TryParse(h[(colon + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
                        throw new ClusterConfigException($"{where}: '{key}' expects host[:port] entries, got '{h}'");
                    hosts.Add(new(h[..colon], port));
                }
                return hosts;
            default:
                throw new InvalidOperationException(kind.ToString());
        }
    }

    private static List<string> SplitList(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    /// <summary>Parses <c>250ms</c>, <c>5s</c>, <c>2m</c>, <c>1h</c>; null when malformed.</summary>
    public static TimeSpan? ParseDuration(string value)
    {
        (string unit, double scale)[] units = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)];
        foreach (var (unit, scale) in units)
        {
            if (!value.EndsWith(unit, StringComparison.Ordinal)) continue;
            var number = value[..^unit.Length];
            if (number.Length > 0 && char.IsDigit(number[^1]) &&
                double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && d >= 0 && double.IsFinite(d))
                return TimeSpan.FromMilliseconds(d * scale);
        }
        return null;
    }
}
