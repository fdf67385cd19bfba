using System.Globalization;
using System.Text.RegularExpressions;
using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace Vigil.Cluster.Configuration;

/// <summary>
/// Reads cluster.conf: HOCON (Akka's own format) with a <c>vigil { }</c> section for Vigil's
/// settings beside any <c>akka { }</c> settings. Every key under <c>vigil</c> is checked: an unknown
/// key or a value of the wrong kind fails with the file, line and what is wrong, for example
/// <c>cluster.conf:12: vigil.broker.prefetch expects a positive integer, got 'lots'</c>.
/// Environment variables <c>VIGIL_CLUSTER__SECTION__KEY=value</c> override keys of the vigil
/// section (<c>VIGIL_CLUSTER__NODE__NAME=gpu-2</c> sets <c>vigil.node.name</c>; segments are
/// lower-cased, <c>_</c> in a segment stands for <c>-</c>); a variable naming an unknown key fails
/// naming the variable.
/// </summary>
public static class ClusterConfigLoader
{
    private enum Kind { Text, PositiveInt, Port, Duration, TextList, Roles, Hosts, Backend, Function, Handler, Switch, Object }

    // Every key the vigil section knows, with the kind of value it takes.
    private static readonly Dictionary<string, Kind> Keys = new(StringComparer.Ordinal)
    {
        ["node"] = Kind.Object, ["node.name"] = Kind.Text, ["node.host"] = Kind.Text, ["node.port"] = Kind.Port, ["node.roles"] = Kind.Roles,
        ["seed-nodes"] = Kind.TextList,
        ["broker"] = Kind.Object, ["broker.hosts"] = Kind.Hosts, ["broker.user"] = Kind.Text, ["broker.password"] = Kind.Text,
        ["broker.vhost"] = Kind.Text, ["broker.readings-queue"] = Kind.Text, ["broker.results-queue"] = Kind.Text,
        ["broker.prefetch"] = Kind.PositiveInt, ["broker.confirm-window"] = Kind.PositiveInt, ["broker.frame-max-results"] = Kind.PositiveInt,
        ["persistence"] = Kind.Object, ["persistence.backend"] = Kind.Backend, ["persistence.connection-string"] = Kind.Text,
        ["persistence.snapshot-every"] = Kind.PositiveInt, ["persistence.snapshot-interval"] = Kind.Duration, ["persistence.keep-outputs"] = Kind.PositiveInt,
        ["persistence.sqlite-wal"] = Kind.Switch,
        ["patients"] = Kind.Object, ["patients.function"] = Kind.Function, ["patients.shards"] = Kind.PositiveInt,
        ["patients.replay-windows"] = Kind.PositiveInt, ["patients.ask-timeout"] = Kind.Duration, ["patients.parallelism"] = Kind.PositiveInt,
        ["inference"] = Kind.Object, ["inference.max-in-flight"] = Kind.PositiveInt, ["inference.request-timeout"] = Kind.Duration,
        ["leave-timeout"] = Kind.Duration,
        ["models"] = Kind.Object,
    };

    private static readonly Dictionary<string, Kind> ModelKeys = new(StringComparer.Ordinal)
    {
        ["version"] = Kind.Text, ["capacity"] = Kind.PositiveInt, ["handler"] = Kind.Handler, ["path"] = Kind.Text, ["delay"] = Kind.Duration,
    };

    /// <summary>Reads and checks <paramref name="path"/>.</summary>
    public static ClusterConfig Load(string path)
    {
        if (!File.Exists(path)) throw new ClusterConfigException($"{path}: cluster configuration not found");
        return Parse(File.ReadAllText(path), path, Environment.GetEnvironmentVariables());
    }

    /// <summary>Parses and checks HOCON <paramref name="text"/>; <paramref name="source"/> names it in errors.</summary>
    public static ClusterConfig Parse(string text, string source = "cluster.conf", System.Collections.IDictionary? environment = null)
    {
        Config config;
        try { config = ConfigurationFactory.ParseString(text); }
        catch (Exception e) { throw new ClusterConfigException($"{source}: not valid HOCON: {e.Message}"); }
        var lines = text.Split('\n');
        var root = config.Root.GetObject();
        var overrides = EnvironmentOverrides(environment);
        if (overrides is not null)
        {
            Check(overrides.Value.Source, [], overrides.Value.Config.GetValue("vigil").GetObject(), "");
            config = overrides.Value.Config.WithFallback(config);
            if (!root.Items.ContainsKey("vigil")) root = config.Root.GetObject();
        }
        foreach (var top in root.Items.Keys)
            if (top is not ("vigil" or "akka"))
                throw Error(source, lines, [top], $"unknown top-level section '{top}'; cluster.conf holds vigil {{ }} and akka {{ }}");
        if (!root.Items.TryGetValue("vigil", out var vigilValue) || !vigilValue.IsObject())
            throw new ClusterConfigException($"{source}: no vigil {{ }} section");
        Check(source, lines, vigilValue.GetObject(), "");
        var v = config.GetConfig("vigil");

        var models = new List<ModelServing>();
        if (v.HasPath("models"))
            foreach (var (id, value) in v.GetValue("models").GetObject().Items)
            {
                var m = value.GetObject().Items;
                var model = new ModelServing
                {
                    Id = id,
                    Version = Str(m, "version") ?? "1",
                    Capacity = m.TryGetValue("capacity", out var c) ? c.GetInt() : 16,
                    Handler = Str(m, "handler") ?? "echo",
                    Path = Str(m, "path") ?? "",
                    Delay = m.TryGetValue("delay", out var d) ? d.GetTimeSpan() : TimeSpan.Zero,
                };
                if (model.Handler == "onnx" && model.Path.Length == 0)
                    throw Error(source, lines, ["vigil", "models", id], $"vigil.models.{id} has handler = onnx but no path");
                models.Add(model);
            }

        var node = new NodeSettings();
        node = node with
        {
            Name = v.GetString("node.name", node.Name),
            Host = v.GetString("node.host", node.Host),
            Port = v.GetInt("node.port", node.Port),
            Roles = v.HasPath("node.roles") ? v.GetStringList("node.roles").ToList() : node.Roles,
        };
        var broker = new BrokerSettings();
        broker = broker with
        {
            Hosts = v.HasPath("broker.hosts") ? v.GetStringList("broker.hosts").Select(ParseHost).ToList() : broker.Hosts,
            User = v.GetString("broker.user", broker.User),
            Password = v.GetString("broker.password", broker.Password),
            VirtualHost = v.GetString("broker.vhost", broker.VirtualHost),
            ReadingsQueue = v.GetString("broker.readings-queue", broker.ReadingsQueue),
            ResultsQueue = v.GetString("broker.results-queue", broker.ResultsQueue),
            Prefetch = v.GetInt("broker.prefetch", broker.Prefetch),
            ConfirmWindow = v.GetInt("broker.confirm-window", broker.ConfirmWindow),
            FrameMaxResults = v.GetInt("broker.frame-max-results", broker.FrameMaxResults),
        };
        var persistence = new PersistenceSettings();
        persistence = persistence with
        {
            Backend = v.GetString("persistence.backend", persistence.Backend),
            ConnectionString = v.GetString("persistence.connection-string", persistence.ConnectionString),
            SnapshotEvery = v.GetInt("persistence.snapshot-every", persistence.SnapshotEvery),
            SnapshotInterval = v.GetTimeSpan("persistence.snapshot-interval", persistence.SnapshotInterval),
            KeepOutputs = v.GetInt("persistence.keep-outputs", persistence.KeepOutputs),
            SqliteWal = !v.HasPath("persistence.sqlite-wal") || Switch(v.GetString("persistence.sqlite-wal")),
        };
        if (persistence.ConnectionString.Length == 0)
        {
            if (persistence.Backend == "postgresql")
                throw Error(source, lines, ["vigil", "persistence", "backend"], "vigil.persistence.backend = postgresql needs vigil.persistence.connection-string");
            persistence = persistence with { ConnectionString = $"Data Source=vigil-{node.Name}.db" };
        }
        var patients = new PatientSettings();
        patients = patients with
        {
            Function = v.GetString("patients.function", patients.Function),
            Shards = v.GetInt("patients.shards", patients.Shards),
            ReplayWindows = v.GetInt("patients.replay-windows", patients.ReplayWindows),
            AskTimeout = v.GetTimeSpan("patients.ask-timeout", patients.AskTimeout),
            Parallelism = v.GetInt("patients.parallelism", patients.Parallelism),
        };
        var inference = new InferenceSettings();
        inference = inference with
        {
            MaxInFlight = v.GetInt("inference.max-in-flight", inference.MaxInFlight),
            RequestTimeout = v.GetTimeSpan("inference.request-timeout", inference.RequestTimeout),
        };
        var result = new ClusterConfig
        {
            Node = node,
            SeedNodes = v.HasPath("seed-nodes") ? v.GetStringList("seed-nodes").ToList() : [],
            Broker = broker, Persistence = persistence, Patients = patients, Inference = inference, Models = models,
            LeaveTimeout = v.GetTimeSpan("leave-timeout", TimeSpan.FromSeconds(30)),
            AkkaOverrides = config.HasPath("akka") ? text : "",
        };
        if (models.Count > 0 && !result.Serves)
            throw Error(source, lines, ["vigil", "models"], $"vigil.models is set but vigil.node.roles [{string.Join(", ", node.Roles)}] has neither inference nor gpu");
        return result;
    }

    // VIGIL_CLUSTER__A__B=value as the HOCON line `vigil.a.b = "value"` (lists stay lists).
    private static (Config Config, string Source)? EnvironmentOverrides(System.Collections.IDictionary? environment)
    {
        if (environment is null) return null;
        var lines = new List<string>();
        var names = new List<string>();
        foreach (var key in environment.Keys.Cast<object>().Select(k => k.ToString()!).Where(k => k.StartsWith("VIGIL_CLUSTER__", StringComparison.Ordinal)).Order())
        {
            var segments = key["VIGIL_CLUSTER__".Length..].Split("__").Select(s => s.ToLowerInvariant().Replace('_', '-')).ToArray();
            string value = environment[key]?.ToString() ?? "";
            string hocon = value.TrimStart().StartsWith('[') ? value : "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
            lines.Add($"vigil.{string.Join(".", segments.Select(s => "\"" + s + "\""))} = {hocon}");
            names.Add(key);
        }
        if (lines.Count == 0) return null;
        try { return (ConfigurationFactory.ParseString(string.Join("\n", lines)), "environment variable " + string.Join(", ", names)); }
        catch (Exception e) { throw new ClusterConfigException($"environment variables {string.Join(", ", names)}: not valid values: {e.Message}"); }
    }

    private static string? Str(Dictionary<string, HoconValue> items, string key) => items.TryGetValue(key, out var x) ? x.GetString() : null;

    private static void Check(string source, string[] lines, HoconObject obj, string prefix)
    {
        foreach (var (key, value) in obj.Items)
        {
            string path = prefix.Length == 0 ? key : prefix + "." + key;
            string[] segments = ["vigil", .. path.Split('.')];
            if (prefix == "models")
            {
                if (!value.IsObject()) throw Error(source, lines, segments, $"vigil.models.{key} must be an object {{ handler = ..., capacity = ... }}");
                foreach (var (mk, mv) in value.GetObject().Items)
                {
                    if (!ModelKeys.TryGetValue(mk, out var mkind))
                        throw Error(source, lines, [.. segments, mk], $"unknown key '{mk}' in vigil.models.{key}; known keys: {string.Join(", ", ModelKeys.Keys)}");
                    CheckValue(source, lines, [.. segments, mk], $"vigil.models.{key}.{mk}", mkind, mv);
                }
                continue;
            }
            if (!Keys.TryGetValue(path, out var kind))
            {
                string section = prefix.Length == 0 ? "vigil" : "vigil." + prefix;
                var known = Keys.Keys.Where(k => prefix.Length == 0 ? !k.Contains('.') : k.StartsWith(prefix + ".", StringComparison.Ordinal))
                    .Select(k => prefix.Length == 0 ? k : k[(prefix.Length + 1)..]);
                throw Error(source, lines, segments, $"unknown key '{key}' in {section}; known keys: {string.Join(", ", known)}");
            }
            if (kind == Kind.Object)
            {
                if (!value.IsObject()) throw Error(source, lines, segments, $"vigil.{path} must be an object {{ ... }}");
                Check(source, lines, value.GetObject(), path);
            }
            else CheckValue(source, lines, segments, "vigil." + path, kind, value);
        }
    }

    private static void CheckValue(string source, string[] lines, string[] segments, string name, Kind kind, HoconValue value)
    {
        string Shown() { try { return value.IsString() ? value.GetString() : value.ToString(); } catch (Exception) { return value.ToString(); } }
        ClusterConfigException Bad(string expects) => Error(source, lines, segments, $"{name} expects {expects}, got '{Shown()}'");
        bool isList = value.IsArray();
        if (kind is Kind.TextList or Kind.Roles or Kind.Hosts)
        {
            if (!isList) throw Bad("a list [a, b]");
            var items = value.GetArray().Select(x => x.IsString() ? x.GetString() : null).ToList();
            if (items.Any(x => x is null)) throw Bad("a list of text values");
            foreach (var item in items)
            {
                if (kind == Kind.Roles && !NodeRoles.All.Contains(item!))
                    throw Error(source, lines, segments, $"{name}: unknown role '{item}'; roles are {string.Join(", ", NodeRoles.All)}");
                if (kind == Kind.Hosts)
                    try { ParseHost(item!); }
                    catch (FormatException e) { throw Error(source, lines, segments, $"{name}: {e.Message}"); }
            }
            return;
        }
        if (isList || value.IsObject() || !value.IsString()) throw Bad(kind == Kind.Text ? "a text value" : "a single value");
        string s = value.GetString();
        switch (kind)
        {
            case Kind.PositiveInt:
                if (!int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) || n <= 0) throw Bad("a positive integer");
                break;
            case Kind.Port:
                if (!int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int port) || port is < 0 or > 65535) throw Bad("a TCP port 0-65535");
                break;
            case Kind.Duration:
                if (!Regex.IsMatch(s, @"^\s*\d+(\.\d+)?\s*(ms|s|m|h|millis|milliseconds|seconds|minutes)\s*$")) throw Bad("a duration such as 250ms, 5s, 2m");
                break;
            case Kind.Backend:
                if (s is not ("sqlite" or "postgresql")) throw Bad("sqlite or postgresql");
                break;
            case Kind.Function:
                if (s is not ("sequence" or "ppg")) throw Bad("sequence or ppg");
                break;
            case Kind.Handler:
                if (s is not ("echo" or "sum" or "onnx")) throw Bad("echo, sum or onnx");
                break;
            case Kind.Switch:
                if (s is not ("on" or "off" or "true" or "false" or "yes" or "no")) throw Bad("on or off");
                break;
        }
    }

    private static bool Switch(string s) => s is "on" or "true" or "yes";

    /// <summary>Parses <c>host</c> or <c>host:port</c> (AMQP port 5672 by default).</summary>
    public static BrokerEndpoint ParseHost(string text)
    {
        var parts = text.Split(':');
        if (parts.Length > 2 || parts[0].Length == 0) throw new FormatException($"'{text}' is not host or host:port");
        int port = 5672;
        if (parts.Length == 2 && (!int.TryParse(parts[1], out port) || port is < 1 or > 65535)) throw new FormatException($"'{text}' has no valid port");
        return new BrokerEndpoint(parts[0], port);
    }

    private static ClusterConfigException Error(string source, string[] lines, string[] segments, string message)
    {
        int line = LineOf(lines, segments);
        return new ClusterConfigException(line > 0 ? $"{source}:{line}: {message}" : $"{source}: {message}");
    }

    // Finds the line of a key path by following its segments down the file in order (a key may be
    // written nested `vigil { broker { prefetch = 1 } }` or dotted `vigil.broker.prefetch = 1`).
    private static int LineOf(string[] lines, string[] segments)
    {
        int from = 0, found = -1;
        foreach (var seg in segments)
        {
            var pattern = new Regex(@"(^|[\s{,.])""?" + Regex.Escape(seg) + @"""?\s*([=:{.]|$)");
            int at = -1;
            for (int i = from; i < lines.Length && at < 0; i++)
            {
                string code = lines[i].Split('#')[0];
                if (pattern.IsMatch(code)) at = i;
            }
            if (at < 0) return found + 1;
            found = at; from = at;
        }
        return found + 1;
    }
}
