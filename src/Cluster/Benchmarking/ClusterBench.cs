using System.Diagnostics;
using System.Text.Json;
using Vigil.Cluster.Broker;
using Vigil.Cluster.Configuration;
using Vigil.Cluster.Inference;
using Vigil.Cluster.Node;
using Vigil.Cluster.Wire;

namespace Vigil.Cluster.Benchmarking;

/// <summary>Parameters of <see cref="ClusterBench"/>.</summary>
public sealed record ClusterBenchOptions
{
    /// <summary>Sequential round trips measured for latency (after a warm-up of a tenth as many).</summary>
    public int LatencySamples { get; init; } = 2000;
    /// <summary>Requests per throughput run at 1 KB.</summary>
    public int SmallRequests { get; init; } = 20000;
    /// <summary>Requests per throughput run at 600 KB.</summary>
    public int LargeRequests { get; init; } = 300;
    /// <summary>Which parts to run: <c>latency</c>, <c>throughput</c>.</summary>
    public IReadOnlySet<string> Sections { get; init; } = new HashSet<string> { "latency", "throughput" };
}

/// <summary>
/// The cluster benchmark (<c>vigil bench cluster</c>): remote against local inference of a tiny
/// model (added latency), and requests/s through the broker at 1 KB and 600 KB (a 224×224×3
/// float32 tensor) with publisher confirms, comparing a naive client configuration with the tuned
/// one in the same run. The serving node runs in this process on its own broker connection.
/// </summary>
public static class ClusterBench
{
    /// <summary>Runs every measurement and returns the JSON report.</summary>
    public static async Task<string> RunAsync(ClusterConfig baseConfig, ClusterBenchOptions options, TextWriter progress)
    {
        string model = $"bench-sum-{Guid.NewGuid():N}"[..18];
        // The same tiny model behind a request queue of each type, measured side by side.
        var servings = QueueTypes.All.Select(t => new ModelServing { Id = $"{model}-{t[0]}", Version = "1", Capacity = 32, Handler = "sum", QueueType = t }).ToList();
        // The classic one again with the serving side's idle fast path off, to show what the fast paths save.
        var queuedServing = servings[0] with { Id = $"{model}-cq", DirectRun = false };
        var queuedQuorum = servings[1] with { Id = $"{model}-qq", DirectRun = false };
        // The tiny ONNX model, when the repository's copy and the ORT library are present.
        string cnnPath = BuiltInHandlers.ResolvePath("models/small-cnn.onnx");
        var cnn = new ModelServing { Id = model.Replace("sum", "cnn"), Version = "1", Capacity = 8, Handler = "onnx", Path = cnnPath };
        string? cnnSkipped = null;
        IInferenceHandler? cnnLocal = null;
        bool latency = options.Sections.Contains("latency"), throughput = options.Sections.Contains("throughput");
        try { cnnLocal = latency && File.Exists(cnnPath) ? BuiltInHandlers.Create(cnn) : null; cnnSkipped = cnnLocal is null ? $"{cnnPath} not found" : null; }
        catch (Exception e) { cnnSkipped = $"ONNX Runtime unavailable: {e.Message}"; }
        var config = baseConfig with
        {
            Node = new NodeSettings { Name = "bench-node", Roles = ["serve"] },
            Models = cnnLocal is null ? [.. servings, queuedServing, queuedQuorum] : [.. servings, queuedServing, queuedQuorum, cnn],
            Timeouts = baseConfig.Timeouts with { Request = TimeSpan.FromSeconds(60) },
        };
        string defaultType = config.Broker.RequestQueueType;
        string main = servings.First(m => m.QueueType == defaultType).Id;
        var results = new Dictionary<string, object>();
        string loadBefore = LoadAverage();
        await using var node = await ClusterNode.StartAsync(config, log: TextWriter.Null).ConfigureAwait(false);
        try
        {
            if (latency)
            {
                progress.WriteLine("latency: local vs remote (request queue types and fast paths, interleaved), 1 KB tensor, model 'sum', one request at a time");
                await using var fast = await RemoteInferenceClient.ConnectAsync(config).ConfigureAwait(false);
                await using var queued = await RemoteInferenceClient.ConnectAsync(config with { Client = config.Client with { DirectPublish = false } }).ConfigureAwait(false);
                Alternative[] alternatives =
                [
                    new("classic request queue, idle fast paths (default)", fast, servings[0], QueueTypes.Classic),
                    new("classic request queue, fast paths off (every hop through the outbox and inbox loops)", queued, queuedServing, null),
                    new("quorum request queue, idle fast paths", fast, servings[1], QueueTypes.Quorum),
                    new("quorum request queue, fast paths off (the code before this change)", queued, queuedQuorum, null),
                ];
                results["latency_1kb"] = await LatencyAsync(config, alternatives, BuiltInHandlers.Create(servings[0]), Floats(256), options.LatencySamples).ConfigureAwait(false);
                if (cnnLocal is not null)
                {
                    progress.WriteLine("latency: local vs remote, ONNX small-cnn (1x3x32x32 float32 = 12 KB), one request at a time");
                    var image = WireTensor.FromFloats("image", [1, 3, 32, 32], Floats(3 * 32 * 32).ToFloats());
                    results["latency_onnx_small_cnn"] = await LatencyAsync(config, [new("classic request queue, idle fast paths", fast, cnn, null)], cnnLocal, image,
                        options.LatencySamples / 2).ConfigureAwait(false);
                }
                else results["latency_onnx_small_cnn"] = new { skipped = cnnSkipped };
            }
            if (throughput) await ThroughputSectionAsync(config, options, main, servings.First(m => m.QueueType != defaultType), results, progress).ConfigureAwait(false);
        }
        finally
        {
            await node.DrainAsync().ConfigureAwait(false);
            foreach (var m in config.Models) await DeleteQueueAsync(config, Topology.ModelQueue(m.Id, "1")).ConfigureAwait(false);
        }
        var report = new Dictionary<string, object>
        {
            ["benchmark"] = "cluster",
            ["broker"] = BrokerConnector.Describe(config),
            ["machine"] = new { cores = Environment.ProcessorCount, os = System.Runtime.InteropServices.RuntimeInformation.OSDescription },
            ["load_average"] = loadBefore,
            ["settings"] = $"default request queue type {defaultType} ([broker] request_queue_type), durable classic reply queue, persistent messages, " +
                           "publisher confirms on both sides; node in-process on its own connection",
        };
        foreach (var (k, v) in results) report[k] = v;
        report["load_average_after"] = LoadAverage();
        return JsonSerializer.Serialize(report, new JsonSerializerOptions
        {
            WriteIndented = true,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
    }

    private static async Task ThroughputSectionAsync(ClusterConfig config, ClusterBenchOptions options, string model, ModelServing other,
        Dictionary<string, object> results, TextWriter progress)
    {
        var naive = config.Client with { Channels = 1, ConfirmWindow = 1, FrameMaxRequests = 1, MaxInFlight = 64 };
        var tuned = config.Client with { Channels = 2, ConfirmWindow = 32, FrameMaxRequests = 8, MaxInFlight = 1024 };
        var bigFrames = config.Client with { Channels = 2, ConfirmWindow = 32, FrameMaxRequests = 32, MaxInFlight = 2048 };
        var small = new List<object>();
        var rates = new List<double>();
        string type = config.Broker.RequestQueueType;
        foreach (var (name, client, target) in new[] {
                     ($"naive: 1 channel, await each confirm, 1 request/message, 64 in flight ({type} queue)", naive, model),
                     ($"tuned: 2 channels, 32 confirms in flight each, 8 requests/message, 1024 in flight ({type} queue)", tuned, model),
                     ($"tuned: 2 channels, 32 confirms in flight each, 32 requests/message, 2048 in flight ({type} queue)", bigFrames, model),
                     ($"tuned: 2 channels, 32 confirms in flight each, 8 requests/message, 1024 in flight ({other.QueueType} queue)", tuned, other.Id),
                     ($"tuned as above, client fast path off ({type} queue)", tuned with { DirectPublish = false }, model) })
        {
            int n = client == naive ? Math.Max(1000, options.SmallRequests / 4) : options.SmallRequests;
            progress.WriteLine($"throughput 1 KB x {n}: {name}");
            var run = await ThroughputAsync(config with { Client = client }, target, 256, n, name).ConfigureAwait(false);
            small.Add(run);
            rates.Add((double)run.GetType().GetProperty("requests_per_s")!.GetValue(run)!);
        }
        results["throughput_1kb"] = small;
        results["ratios"] = new
        {
            tuned_8_per_message_vs_naive = Round(rates[1] / rates[0]),
            tuned_32_per_message_vs_naive = Round(rates[2] / rates[0]),
            tuned_8_per_message_vs_floor_5000 = Round(rates[1] / 5000),
            tuned_8_per_message_default_vs_other_queue_type = Round(rates[1] / rates[3]),
            tuned_8_per_message_fast_path_on_vs_off = Round(rates[1] / rates[4]),
        };
        progress.WriteLine($"throughput 600 KB x {options.LargeRequests}");
        results["throughput_600kb"] = await ThroughputAsync(config with { Client = tuned with { MaxInFlight = 32 } }, model,
            224 * 224 * 3, options.LargeRequests, $"tuned: 1 request/message (frame byte limit), 32 in flight ({type} queue)").ConfigureAwait(false);
    }

    private static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Trim(); } catch (IOException) { return "unknown"; }
    }

    private static WireTensor Floats(int count)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = (i % 97) * 0.01f;
        return WireTensor.FromFloats("x", [count], values);
    }

    /// <summary>One remote alternative of the latency comparison.</summary>
    private sealed record Alternative(string Label, RemoteInferenceClient Client, ModelServing Model, string? BareQueueType);

    private static async Task<object> LatencyAsync(ClusterConfig config, IReadOnlyList<Alternative> alternatives, IInferenceHandler handler,
        WireTensor input, int samples)
    {
        // Each measured path is one call returning its duration: local, each Vigil remote alternative, and the bare round trips.
        var first = alternatives[0];
        var paths = new List<(string Kind, Alternative Alt, Func<Task<double>> Once)>
        {
            ("local", first, async () =>
            {
                var request = first.Client.CreateRequest(first.Model.Id, "1", [input]);
                long t0 = Stopwatch.GetTimestamp();
                await handler.InferAsync([request], default).ConfigureAwait(false);
                return Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            }),
        };
        foreach (var a in alternatives)
            paths.Add(("remote", a, async () =>
            {
                var request = a.Client.CreateRequest(a.Model.Id, "1", [input]);
                long t0 = Stopwatch.GetTimestamp();
                var r = await a.Client.InferAsync(request).ConfigureAwait(false);
                double ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                if (r.Status != InferenceStatus.Ok) throw new InvalidOperationException($"benchmark request failed: {r.Error}");
                return ms;
            }));
        var bares = new List<RawRoundTrip>();
        try
        {
            foreach (var a in alternatives.Where(a => a.BareQueueType is not null))
                foreach (bool same in new[] { false, true })
                {
                    var bare = await RawRoundTrip.StartAsync(config, a.BareQueueType!, same).ConfigureAwait(false);
                    bares.Add(bare);
                    paths.Add((same ? "bare_same" : "bare_minimal", a, bare.OnceAsync));
                }
            // Rounds of short blocks: within a block calls run back to back (no leftover acks and confirms of another path
            // in the broker), and the blocks rotate through the paths, so drift in machine load is shared by all.
            const int Rounds = 20;
            int perBlock = Math.Max(1, samples / Rounds);
            samples = perBlock * Rounds;
            var times = paths.Select(_ => new double[samples]).ToArray();
            foreach (var path in paths)
                for (int i = 0; i < Math.Max(10, perBlock / 2); i++) await path.Once().ConfigureAwait(false); // warm-up
            for (int round = 0; round < Rounds; round++)
                for (int k = 0; k < paths.Count; k++)
                {
                    await paths[k].Once().ConfigureAwait(false); // settles the switch from the previous path; not counted
                    for (int i = 0; i < perBlock; i++) times[k][round * perBlock + i] = await paths[k].Once().ConfigureAwait(false);
                }
            foreach (var t in times) Array.Sort(t);
            double[] Of(string kind, Alternative a) => times[paths.FindIndex(p => p.Kind == kind && p.Alt == a)];
            var local = times[0];
            var rows = new List<object>();
            foreach (var a in alternatives)
            {
                var remote = Of("remote", a);
                var bare = a.BareQueueType is null ? null : Of("bare_minimal", a);
                var bareSame = a.BareQueueType is null ? null : Of("bare_same", a);
                rows.Add(new
                {
                    remote = a.Label,
                    request_queue_type = config.QueueTypeOf(a.Model),
                    remote_ms = new { p50 = Round(P(remote, 0.5)), p99 = Round(P(remote, 0.99)) },
                    added_ms = new { p50 = Round(P(remote, 0.5) - P(local, 0.5)), p99 = Round(P(remote, 0.99) - P(local, 0.99)) },
                    bare_broker_round_trip_minimal_ms = bare is null ? null : new
                    {
                        p50 = Round(P(bare, 0.5)), p99 = Round(P(bare, 0.99)),
                        note = $"RabbitMQ.Client alone, {a.BareQueueType} request queue, classic reply queue, persistent 1 KB, no confirms, auto-ack replies",
                    },
                    bare_broker_round_trip_same_guarantees_ms = bareSame is null ? null : new
                    {
                        p50 = Round(P(bareSame, 0.5)), p99 = Round(P(bareSame, 0.99)),
                        note = "as above plus what Vigil needs for its guarantees: publisher confirms on both sides, request acked after its reply is confirmed, reply acked by the requester",
                    },
                    vigil_code_over_bare_same_guarantees_p50_ms = bareSame is null ? (double?)null : Round(P(remote, 0.5) - P(bareSame, 0.5)),
                    meets_floor_added_p50_2ms = P(remote, 0.5) - P(local, 0.5) <= 2.0,
                });
            }
            return new
            {
                samples,
                input_bytes = input.Data.Length,
                interleaved = "20 rounds; each round runs a block of samples/20 back-to-back calls of local, each remote alternative and each bare round trip in turn",
                local_ms = new { p50 = Round(P(local, 0.5)), p99 = Round(P(local, 0.99)) },
                remote = rows,
                floor_added_p50_ms = 2.0,
            };
        }
        finally
        {
            foreach (var b in bares) await b.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static double P(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];

    private static async Task<object> ThroughputAsync(ClusterConfig config, string model, int floats, int count, string name)
    {
        var input = Floats(floats);
        await using var client = await RemoteInferenceClient.ConnectAsync(config).ConfigureAwait(false);
        // Warm-up (JIT, queue declare).
        for (int i = 0; i < 20; i++) await client.InferAsync(client.CreateRequest(model, "1", [input])).ConfigureAwait(false);
        var before = client.Metrics;
        var tasks = new Task<InferenceResult>[count];
        long t0 = Stopwatch.GetTimestamp();
        for (int i = 0; i < count; i++) tasks[i] = await client.SendAsync(client.CreateRequest(model, "1", [input])).ConfigureAwait(false);
        var all = await Task.WhenAll(tasks).ConfigureAwait(false);
        double seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        int failed = all.Count(r => r.Status != InferenceStatus.Ok);
        var after = client.Metrics;
        long frames = after.FramesPublished - before.FramesPublished;
        double perSecond = count / seconds;
        return new
        {
            client = name,
            payload_bytes = floats * 4,
            requests = count,
            failed,
            seconds = Round(seconds),
            requests_per_s = Math.Round(perSecond),
            mb_per_s = Round(perSecond * floats * 4 / 1e6),
            broker_messages = frames,
            requests_per_message = Round((double)count / Math.Max(1, frames)),
            floor_requests_per_s = floats * 4 <= 1024 ? 5000 : (int?)null,
        };
    }

    private static double Round(double v) => Math.Round(v, 3);

    private static async Task DeleteQueueAsync(ClusterConfig config, string queue)
    {
        await using var connection = await BrokerConnector.ConnectAsync(config, "vigil-bench-cleanup", TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        await using var channel = await connection.CreateChannelAsync().ConfigureAwait(false);
        await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false).ConfigureAwait(false);
    }
}
