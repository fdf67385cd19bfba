using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using RabbitMQ.Client;
using Vigil.Cluster.Broker;
using Vigil.Cluster.Configuration;
using Vigil.Cluster.Edge;
using Vigil.Cluster.Node;
using Vigil.Cluster.Sharding;
using Vigil.Cluster.Wire;
using Vigil.Ppg;

namespace Vigil.Cluster.Benchmarking;

/// <summary>
/// <c>vigil bench cluster</c>: (1) remote inference between two nodes on loopback against the same
/// request served in-process, tiny model (echo), 1 KB input: latency p50/p99 and requests/s;
/// (2) kill -9 of one of three nodes holding patients: seconds until every patient is served again,
/// and results lost or duplicated; (3) the broker edge: patient-seconds per second acknowledged only
/// once persisted. Node processes are started with <c>launcher</c> (the CLI passes itself).
/// </summary>
public static class ClusterBench
{
    /// <summary>Runs the sections in <paramref name="options"/>; returns the JSON report.</summary>
    public static async Task<string> RunAsync(ClusterBenchOptions options, Func<string, ProcessStartInfo> launcher, TextWriter log)
    {
        var report = new JsonObject
        {
            ["benchmark"] = "cluster",
            ["machine"] = $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}",
            ["akka"] = typeof(Akka.Actor.ActorSystem).Assembly.GetName().Version?.ToString(),
        };
        if (options.Sections.Contains("latency")) report["inference"] = await InferenceAsync(options, launcher, log).ConfigureAwait(false);
        if (options.Sections.Contains("recovery")) report["recovery"] = await RecoveryAsync(options, launcher, log).ConfigureAwait(false);
        if (options.Sections.Contains("edge"))
        {
            report["edge"] = await EdgeAsync(options, log, sqliteWal: true).ConfigureAwait(false);
            // The same run with SQLite's default rollback journal, for the ratio (sqlite-wal = off).
            if (options.EdgeBackend == "sqlite" && options.EdgeCompare)
            {
                var rollback = await EdgeAsync(options, log, sqliteWal: false).ConfigureAwait(false);
                report["edge_sqlite_rollback_journal"] = rollback;
                report["edge_wal_over_rollback"] = Math.Round((double)report["edge"]!["patient_seconds_per_s"]! / (double)rollback["patient_seconds_per_s"]!, 2);
            }
        }
        return report.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];

    // ---- (1) remote against local inference ----

    private static async Task<JsonObject> InferenceAsync(ClusterBenchOptions o, Func<string, ProcessStartInfo> launcher, TextWriter log)
    {
        int pa = FreePort(), pb = FreePort();
        log.WriteLine("bench cluster: inference — starting node a (in process) and node b (process)");
        var a = await VigilNode.StartAsync(ClusterConfigLoader.Parse($$"""
            vigil {
              node { name = bench-a, port = {{pa}}, roles = [inference] }
              seed-nodes = ["127.0.0.1:{{pa}}"]
              models { echo-local { capacity = 64, handler = echo } }
              inference { max-in-flight = 4096 }
            }
            """), log, startEdge: false).ConfigureAwait(false);
        await using var b = NodeProcessHandle.Start("bench-b", $$"""
            vigil {
              node { name = bench-b, port = {{pb}}, roles = [inference] }
              seed-nodes = ["127.0.0.1:{{pa}}"]
              models { echo { capacity = 64, handler = echo } }
            }
            """, launcher);
        try
        {
            await b.WaitReadyAsync(TimeSpan.FromSeconds(90)).ConfigureAwait(false);
            var input = WireTensor.FromFloats("x", [256], Enumerable.Range(0, 256).Select(i => (float)i).ToArray()); // 1 KB
            async Task<double> OnceAsync(string model)
            {
                var sw = Stopwatch.StartNew();
                var r = await a.Inference.InferAsync(a.Inference.CreateRequest(model, "1", [input])).ConfigureAwait(false);
                double ms = sw.Elapsed.TotalMilliseconds;
                if (r.Status != InferenceStatus.Ok) throw new InvalidOperationException($"{model}: {r.Status} {r.Error}");
                return ms;
            }
            // Wait for b's server to pull work, then warm both paths.
            for (int i = 0; i < 2000; i++) { await OnceAsync("echo").ConfigureAwait(false); await OnceAsync("echo-local").ConfigureAwait(false); }
            log.WriteLine($"bench cluster: inference — {o.LatencySamples} sequential requests each side");
            var local = new List<double>(); var remote = new List<double>();
            for (int i = 0; i < o.LatencySamples; i++)
            {
                local.Add(await OnceAsync("echo-local").ConfigureAwait(false));
                remote.Add(await OnceAsync("echo").ConfigureAwait(false));
            }
            local.Sort(); remote.Sort();
            async Task<double> ThroughputAsync(string model)
            {
                int per = Math.Max(1, o.Requests / o.InFlight);
                var sw = Stopwatch.StartNew();
                await Task.WhenAll(Enumerable.Range(0, o.InFlight).Select(async _ =>
                {
                    for (int i = 0; i < per; i++)
                    {
                        var r = await a.Inference.InferAsync(a.Inference.CreateRequest(model, "1", [input])).ConfigureAwait(false);
                        if (r.Status != InferenceStatus.Ok) throw new InvalidOperationException($"{model}: {r.Status} {r.Error}");
                    }
                })).ConfigureAwait(false);
                return per * o.InFlight / sw.Elapsed.TotalSeconds;
            }
            log.WriteLine($"bench cluster: inference — {o.Requests} requests, {o.InFlight} in flight, each side");
            await ThroughputAsync("echo").ConfigureAwait(false); // warm the pipelined path
            double remoteRate = await ThroughputAsync("echo").ConfigureAwait(false);
            double localRate = await ThroughputAsync("echo-local").ConfigureAwait(false);
            double lp50 = Percentile(local, 0.5), rp50 = Percentile(remote, 0.5);
            return new JsonObject
            {
                ["model"] = "echo (built-in), 1 KB float32 input",
                ["samples"] = o.LatencySamples,
                ["local_p50_ms"] = Math.Round(lp50, 3),
                ["local_p99_ms"] = Math.Round(Percentile(local, 0.99), 3),
                ["remote_p50_ms"] = Math.Round(rp50, 3),
                ["remote_p99_ms"] = Math.Round(Percentile(remote, 0.99), 3),
                ["added_p50_ms"] = Math.Round(rp50 - lp50, 3),
                ["in_flight"] = o.InFlight,
                ["remote_requests_per_s"] = Math.Round(remoteRate),
                ["local_requests_per_s"] = Math.Round(localRate),
                ["remote_over_local_throughput"] = Math.Round(remoteRate / localRate, 3),
                ["duplicates_dropped"] = await a.Inference.DuplicatesDroppedAsync().ConfigureAwait(false),
            };
        }
        finally { await a.LeaveAsync().WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false); }
    }

    // ---- (2) kill -9 of a node holding patients ----

    private static byte[] Payload(int patient, long seq)
    {
        var b = new byte[64];
        new Random(patient * 100_003 + (int)seq).NextBytes(b);
        return b;
    }

    private static async Task<JsonObject> RecoveryAsync(ClusterBenchOptions o, Func<string, ProcessStartInfo> launcher, TextWriter log)
    {
        string db = await CreateDatabaseAsync(o.PostgresAdmin).ConfigureAwait(false);
        var broker = new BrokerSettings { ReadingsQueue = $"bench.{Guid.NewGuid():N}.readings", ResultsQueue = $"bench.{Guid.NewGuid():N}.results" };
        int[] ports = [FreePort(), FreePort(), FreePort()];
        string Conf(int i) => $$"""
            vigil {
              node { name = r{{i + 1}}, port = {{ports[i]}}, roles = [ingest] }
              seed-nodes = ["127.0.0.1:{{ports[0]}}", "127.0.0.1:{{ports[1]}}"]
              broker { readings-queue = "{{broker.ReadingsQueue}}", results-queue = "{{broker.ResultsQueue}}", prefetch = 2048 }
              persistence { backend = postgresql, connection-string = "{{db}}", snapshot-every = 8, snapshot-interval = 100ms }
              patients { shards = 100, ask-timeout = 1s, parallelism = 2048 }
            }
            # INFO: the coordinator's "Member removed" line times the failover (recovery breakdown below).
            akka.loglevel = INFO
            """;
        var nodes = new List<NodeProcessHandle>();
        try
        {
            log.WriteLine("bench cluster: recovery — starting three nodes on PostgreSQL");
            nodes.Add(NodeProcessHandle.Start("r1", Conf(0), launcher));
            await nodes[0].WaitReadyAsync(TimeSpan.FromSeconds(90)).ConfigureAwait(false);
            nodes.Add(NodeProcessHandle.Start("r2", Conf(1), launcher));
            nodes.Add(NodeProcessHandle.Start("r3", Conf(2), launcher));
            await Task.WhenAll(nodes.Skip(1).Select(n => n.WaitReadyAsync(TimeSpan.FromSeconds(90)))).ConfigureAwait(false);
            await using var results = await ResultCollector.StartAsync(broker).ConfigureAwait(false);
            await using var publisher = await ReadingPublisher.ConnectAsync(broker).ConfigureAwait(false);
            List<Reading> Window(long s) => [.. Enumerable.Range(0, o.Patients).Select(p => new Reading($"p{p:D5}", s, Payload(p, s)))];
            const int windows = 5;
            log.WriteLine($"bench cluster: recovery — {o.Patients} patients, windows 0-1");
            for (long s = 0; s < 2; s++) await publisher.PublishAllAsync(Window(s), perMessage: 10).ConfigureAwait(false);
            if (!await results.WaitForAsync(o.Patients * 2, TimeSpan.FromSeconds(120)).ConfigureAwait(false))
                throw new InvalidOperationException($"recovery bench: only {results.Results.Count} of {o.Patients * 2} results before the kill");
            var victim = nodes[2];
            int moved = results.Results.Values.Where(r => r.Seq == 1 && r.Node == victim.Name).Count();
            log.WriteLine($"bench cluster: recovery — kill -9 {victim.Name} holding {moved} patients");
            var killedAt = DateTime.UtcNow;
            var sw = Stopwatch.StartNew();
            victim.Kill();
            await publisher.PublishAllAsync(Window(2), perMessage: 10).ConfigureAwait(false);
            if (!await results.WaitForAsync(o.Patients * 3, TimeSpan.FromSeconds(180)).ConfigureAwait(false))
                throw new InvalidOperationException($"recovery bench: only {results.Results.Count} of {o.Patients * 3} results after the kill");
            double recovery = sw.Elapsed.TotalSeconds;
            // When the moved patients' window 2 results arrived: the spread after the shards moved
            // (allocation, entity recovery from the database, snapshot commits) versus the wait before it.
            var movedServed = results.Results.Values.Where(r => r.Seq == 1 && r.Node == victim.Name)
                .Select(r => (results.ReceivedAt[(r.PatientId, 2)] - killedAt).TotalSeconds).Order().ToList();
            for (long s = 3; s < windows; s++) await publisher.PublishAllAsync(Window(s), perMessage: 10).ConfigureAwait(false);
            bool all = await results.WaitForAsync(o.Patients * windows, TimeSpan.FromSeconds(120)).ConfigureAwait(false);
            // Every window's output must equal an undisturbed run's (count and digest over the whole history).
            int wrong = 0;
            for (int p = 0; p < o.Patients; p++)
            {
                ulong digest = SequenceChecker.InitialDigest;
                for (long s = 0; s < windows; s++)
                {
                    digest = SequenceChecker.Fold(digest, s, Payload(p, s));
                    if (results.Results.TryGetValue(($"p{p:D5}", s), out var r))
                    {
                        var (count, _, inOrder, d) = SequenceChecker.ReadOutput(r.Output);
                        if (count != s + 1 || !inOrder || d != digest) wrong++;
                    }
                }
            }
            return new JsonObject
            {
                ["nodes"] = 3,
                ["patients"] = o.Patients,
                ["patients_on_killed_node"] = moved,
                ["windows_per_patient"] = windows,
                ["settings"] = FailoverSettings() + "; ask-timeout 1s",
                ["recovery_s"] = Math.Round(recovery, 2),
                // Where the time went, from the survivors' own log lines (Akka's timestamps).
                ["unreachable_after_s"] = SecondsAfter(killedAt, nodes.Take(2), "Marking node(s) as UNREACHABLE"),
                ["sbr_downed_after_s"] = SecondsAfter(killedAt, nodes.Take(2), "SBR took decision"),
                ["removed_after_s"] = SecondsAfter(killedAt, nodes.Take(2), "patientCoordinator] Member removed"),
                ["moved_patients_served_after_s"] = movedServed.Count == 0 ? null : new JsonObject
                {
                    ["first"] = Math.Round(movedServed[0], 2),
                    ["p50"] = Math.Round(Percentile(movedServed, 0.5), 2),
                    ["last"] = Math.Round(movedServed[^1], 2),
                },
                ["removed_to_served_s"] = SecondsAfter(killedAt, nodes.Take(2), "patientCoordinator] Member removed") is double removed ? Math.Round(recovery - removed, 2) : null,
                // A survivor downed by mistake (its heartbeats late beyond the detector's tolerance on an overloaded machine).
                ["false_downs"] = nodes.Take(2).Count(n => n.Output.Contains("Node has been marked as DOWN", StringComparison.Ordinal)),
                ["lost"] = o.Patients * windows - results.Results.Count,
                ["duplicated"] = results.Conflicts,
                ["identical_republications_dropped"] = results.Redelivered,
                ["state_mismatches"] = wrong,
            };
        }
        finally
        {
            foreach (var n in nodes) await n.DisposeAsync().ConfigureAwait(false);
            await DeleteQueuesAsync(broker).ConfigureAwait(false);
            await DropDatabaseAsync(o.PostgresAdmin, db).ConfigureAwait(false);
        }
    }

    // The failover settings every node runs with (Vigil's defaults; the bench's nodes do not override them).
    private static string FailoverSettings()
    {
        var c = Akka.Configuration.ConfigurationFactory.ParseString(AkkaConfigBuilder.ResilienceDefaults).GetConfig("akka.cluster");
        string S(string key) => c.GetString(key);
        return $"SBR {S("split-brain-resolver.active-strategy")}, stable-after {S("split-brain-resolver.stable-after")}, " +
            $"down-removal-margin {S("down-removal-margin")}; failure detector heartbeat-interval {S("failure-detector.heartbeat-interval")}, " +
            $"acceptable-heartbeat-pause {S("failure-detector.acceptable-heartbeat-pause")}; unreachable-nodes-reaper-interval " +
            $"{S("unreachable-nodes-reaper-interval")}, leader-actions-interval {S("leader-actions-interval")}, gossip-interval {S("gossip-interval")}";
    }

    // The first survivor log line containing <paramref name="marker"/> after the kill, in seconds after it.
    private static double? SecondsAfter(DateTime killedAt, IEnumerable<NodeProcessHandle> survivors, string marker)
    {
        var times = new List<DateTime>();
        foreach (var node in survivors)
            foreach (var line in node.Output.Split('\n'))
            {
                if (!line.Contains(marker, StringComparison.Ordinal)) continue;
                var m = System.Text.RegularExpressions.Regex.Match(line, @"\]\[(\d\d/\d\d/\d{4} \d\d:\d\d:\d\d\.\d+)Z\]");
                if (m.Success && DateTime.TryParseExact(m.Groups[1].Value, "MM/dd/yyyy HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture,
                        System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out var at) && at >= killedAt)
                    times.Add(at);
            }
        return times.Count == 0 ? null : Math.Round((times.Min() - killedAt).TotalSeconds, 2);
    }

    // ---- (3) the broker edge ----

    // Two phases on one node, each from its own pre-filled queue, so that neither boundary is
    // blurred by work in flight: (a) start-up: the first second of every patient (entity created,
    // remembered, recovered, first snapshot committed, acknowledged); (b) steady: the rest of the
    // backlog, drained by the same node whose patients all exist.
    private static async Task<JsonObject> EdgeAsync(ClusterBenchOptions o, TextWriter log, bool sqliteWal)
    {
        var broker = new BrokerSettings { ReadingsQueue = $"bench.{Guid.NewGuid():N}.readings", ResultsQueue = $"bench.{Guid.NewGuid():N}.results" };
        var firstSeconds = broker with { ReadingsQueue = broker.ReadingsQueue + ".first" };
        string file = Path.Combine(Path.GetTempPath(), $"vigil-bench-edge-{Guid.NewGuid():N}.db");
        string? db = o.EdgeBackend == "postgresql" ? await CreateDatabaseAsync(o.PostgresAdmin).ConfigureAwait(false) : null;
        string persistence = db is null
            ? $"persistence {{ backend = sqlite, connection-string = \"Data Source={file}\", snapshot-every = 32, snapshot-interval = 200ms, sqlite-wal = {(sqliteWal ? "on" : "off")} }}"
            : $"persistence {{ backend = postgresql, connection-string = \"{db}\", snapshot-every = 32, snapshot-interval = 200ms }}";
        int port = FreePort();
        int prefetch = Math.Min(60000, o.EdgeMessages);
        var config = ClusterConfigLoader.Parse($$"""
            vigil {
              node { name = edge, port = {{port}}, roles = [ingest] }
              broker { readings-queue = "{{firstSeconds.ReadingsQueue}}", results-queue = "{{broker.ResultsQueue}}", prefetch = {{prefetch}}, confirm-window = 64, frame-max-results = 256 }
              {{persistence}}
              patients { shards = 20, parallelism = {{prefetch}}, ask-timeout = 30s }
            }
            """);
        // One message = one second of 125 Hz PPG (one channel) and 3-axis accelerometer for one patient.
        var second = Enumerable.Range(0, 125).ToArray();
        byte[] Message(int patient, long s) => PpgShardFunction.Encode(new PpgSampleBatch($"e{patient}",
            second.Select(i => s + i / 125.0).ToArray(), [second.Select(i => (float)Math.Sin(i * 0.1 + patient)).ToArray()],
            new float[125], new float[125], Enumerable.Repeat(1f, 125).ToArray()));
        int perPatient = Math.Max(2, o.EdgeMessages / o.EdgePatients);
        var first = new List<Reading>(o.EdgePatients);
        var rest = new List<Reading>((perPatient - 1) * o.EdgePatients);
        for (long s = 0; s < perPatient; s++)
            for (int p = 0; p < o.EdgePatients; p++) (s == 0 ? first : rest).Add(new Reading($"e{p:D5}", s, Message(p, s)));
        int total = first.Count + rest.Count;
        try
        {
            log.WriteLine($"bench cluster: edge — publishing {total} patient-seconds ({first[0].Payload.Length} B each, one per message)");
            var pubWatch = Stopwatch.StartNew();
            await using (var publisher = await ReadingPublisher.ConnectAsync(firstSeconds, confirmWindow: 256).ConfigureAwait(false))
                await publisher.PublishAllAsync(first, perMessage: 1, parallel: 256).ConfigureAwait(false);
            await using (var publisher = await ReadingPublisher.ConnectAsync(broker, confirmWindow: 256).ConfigureAwait(false))
                await publisher.PublishAllAsync(rest, perMessage: 1, parallel: 256).ConfigureAwait(false);
            double publishRate = total / pubWatch.Elapsed.TotalSeconds;
            log.WriteLine($"bench cluster: edge — consuming with one node ({o.EdgeBackend})");
            var startWatch = Stopwatch.StartNew();
            var node = await VigilNode.StartAsync(config, log, startEdge: false).ConfigureAwait(false);
            double joined = startWatch.Elapsed.TotalSeconds;
            try
            {
                var until = DateTime.UtcNow + TimeSpan.FromSeconds(600);
                // (a) Start-up: the first second of every patient.
                double startup, firstAck;
                var edge = await IngestEdge.StartAsync(node.System, config, node.Patients, log).ConfigureAwait(false);
                try
                {
                    double? seen = null;
                    while (edge.MessagesAcknowledged < first.Count && DateTime.UtcNow < until)
                    {
                        if (seen is null && edge.MessagesAcknowledged > 0) seen = startWatch.Elapsed.TotalSeconds;
                        await Task.Delay(10).ConfigureAwait(false);
                    }
                    startup = startWatch.Elapsed.TotalSeconds;
                    firstAck = seen ?? startup;
                    if (edge.MessagesAcknowledged < first.Count) throw new InvalidOperationException($"edge bench: only {edge.MessagesAcknowledged} of {first.Count} first seconds acknowledged");
                }
                finally { await edge.DrainAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false); }
                long startupSnapshots = node.PatientCounters.SnapshotsSaved;
                // (b) Steady: every other second of every patient, already waiting in the queue.
                var sw = Stopwatch.StartNew();
                long acked;
                await using (var steady = await IngestEdge.StartAsync(node.System, config with { Broker = config.Broker with { ReadingsQueue = broker.ReadingsQueue } }, node.Patients, log).ConfigureAwait(false))
                {
                    while (steady.MessagesAcknowledged < rest.Count && DateTime.UtcNow < until) await Task.Delay(10).ConfigureAwait(false);
                    acked = steady.MessagesAcknowledged;
                }
                double seconds = sw.Elapsed.TotalSeconds;
                double steadyRate = acked / seconds, overallRate = (first.Count + acked) / (startup + seconds);
                const int floor = 5000;
                return new JsonObject
                {
                    ["backend"] = o.EdgeBackend == "sqlite" ? (sqliteWal ? "sqlite (write-ahead log)" : "sqlite (rollback journal)") : o.EdgeBackend,
                    ["patients"] = o.EdgePatients,
                    ["patient_seconds"] = total,
                    ["message_bytes"] = first[0].Payload.Length,
                    ["function"] = "sequence (order + digest); PPG tracker cost is measured by vigil bench ppg",
                    ["pacing"] = "backlog: the queue is filled first, so each snapshot covers many windows of its patient (not real-time pacing; docs/cluster.md, snapshot policy)",
                    ["acknowledged"] = first.Count + acked,
                    // The headline, to which the floor applies (docs/cluster.md, "Edge figures").
                    ["headline"] = new JsonObject
                    {
                        ["figure"] = "patient_seconds_per_s",
                        ["definition"] = "steady: patient-seconds acknowledged once persisted, per second, by a node whose patients all exist (phase b: every second after each patient's first, drained from a pre-filled queue)",
                        ["value"] = Math.Round(steadyRate),
                        ["floor"] = floor,
                        ["meets_floor"] = steadyRate >= floor,
                    },
                    ["patient_seconds_per_s"] = Math.Round(steadyRate),
                    ["steady_patient_seconds"] = acked,
                    ["steady_seconds"] = Math.Round(seconds, 2),
                    ["steady_snapshots_per_s"] = Math.Round((node.PatientCounters.SnapshotsSaved - startupSnapshots) / seconds),
                    ["steady_windows_per_snapshot"] = Math.Round(acked / (double)Math.Max(1, node.PatientCounters.SnapshotsSaved - startupSnapshots), 1),
                    // Phase a: node start (join) until the first second of every patient is acknowledged.
                    ["node_joined_s"] = Math.Round(joined, 2),
                    ["first_acknowledged_after_s"] = Math.Round(firstAck, 2),
                    ["first_second_of_every_patient_s"] = Math.Round(startup, 2),
                    ["startup_patients_per_s"] = Math.Round(first.Count / (startup - joined)),
                    ["overall_definition"] = "every patient-second over both phases: (patients + steady patient-seconds) / (start-up + steady seconds); depends on seconds per patient (--edge-messages / --edge-patients)",
                    ["overall_patient_seconds_per_s"] = Math.Round(overallRate),
                    ["startup_share_of_overall_time"] = Math.Round(startup / (startup + seconds), 2),
                    ["snapshots_saved"] = node.PatientCounters.SnapshotsSaved,
                    ["publish_patient_seconds_per_s"] = Math.Round(publishRate),
                };
            }
            finally { await node.LeaveAsync().WaitAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false); }
        }
        finally
        {
            await DeleteQueuesAsync(broker).ConfigureAwait(false);
            await DeleteQueuesAsync(firstSeconds).ConfigureAwait(false);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(file);
            if (db is not null) await DropDatabaseAsync(o.PostgresAdmin, db).ConfigureAwait(false);
        }
    }

    private static async Task<string> CreateDatabaseAsync(string admin)
    {
        string name = "vigil_bench_" + Guid.NewGuid().ToString("N")[..10];
        try
        {
            await using var c = new NpgsqlConnection(admin);
            await c.OpenAsync().ConfigureAwait(false);
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", c);
            await cmd.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or SocketException)
        {
            throw new InvalidOperationException($"the cluster benchmark needs PostgreSQL ({e.Message}); run scripts/setup postgres", e);
        }
        var b = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        return b.ConnectionString;
    }

    private static async Task DropDatabaseAsync(string admin, string connection)
    {
        try
        {
            NpgsqlConnection.ClearAllPools();
            await using var c = new NpgsqlConnection(admin);
            await c.OpenAsync().ConfigureAwait(false);
            await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {new NpgsqlConnectionStringBuilder(connection).Database} WITH (FORCE)", c);
            await cmd.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        catch (Exception) { }
    }

    private static async Task DeleteQueuesAsync(BrokerSettings broker)
    {
        try
        {
            await using var connection = await BrokerConnector.ConnectAsync(broker, "vigil-bench", TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            await using var ch = await connection.CreateChannelAsync().ConfigureAwait(false);
            await ch.QueueDeleteAsync(broker.ReadingsQueue, false, false).ConfigureAwait(false);
            await ch.QueueDeleteAsync(broker.ResultsQueue, false, false).ConfigureAwait(false);
        }
        catch (Exception) { }
    }
}
