using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Akka.Hosting;
using Microsoft.Extensions.Logging;
using Vigil.WardConsole;
using Vigil.WardConsole.Security;

namespace Vigil.Cli.Benchmarks;

/// <summary>
/// <c>vigil bench console [--clients 500] [--patients 20] [--seconds 15] [--requesters 8] [--warmup 5] [--json]</c>:
/// the ward console on a loopback Kestrel port with a simulated ward (the real PPG graph, paced at 1 s),
/// measured side by side in one run: API latency (GET /api/patients and a patient's heart-rate history,
/// <c>requesters</c> concurrent loops) first with no live clients, then with <c>clients</c> Server-Sent
/// Events clients connected that read everything; for those clients, events received and sequence gaps
/// (a gap is a lost update), and the server's drop count. A warm-up phase first (the same API loops
/// and a share of the live clients, connecting and leaving) fills the JIT and the connection pools;
/// its figures are reported apart and excluded from the measured phases. Floors (issue 17): no lost
/// update for clients that keep up and loaded p99 API latency ≤ 50 ms; exit code 1 when one is missed.
/// </summary>
internal static class ConsoleBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var a = new CommandArguments(args, "json");
        var clients = a.GetInt("clients", 500);
        var patients = a.GetInt("patients", 20);
        var seconds = a.GetDouble("seconds", 15);
        var requesters = a.GetInt("requesters", 8);
        var warmup = a.GetDouble("warmup", 5);
        var json = a.Flag("json");
        a.RejectUnknown();
        if (clients < 1 || patients < 1 || requesters < 1 || !(seconds > 0)) throw new CommandLineException("--clients, --patients, --requesters and --seconds must be positive");
        if (!(warmup >= 0)) throw new CommandLineException("--warmup must be 0 or more seconds");

        var key = ApiKeyStore.NewKey();
        var dir = Path.Combine(Path.GetTempPath(), "vigil-bench-console-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var app = ConsoleApp.Create(o =>
        {
            o.Port = 0;
            o.WardSimulation = patients;
            o.AuditDatabase = Path.Combine(dir, "audit.db");
            o.ApiKeys = [new ApiKeyEntry { Name = "bench", Role = WardRole.Admin, Sha256 = ApiKeyStore.Hash(key) }];
        }, b =>
        {
            // stdout carries the JSON: ASP.NET's and Akka's own logs (Akka writes to stdout) keep to warnings.
            b.Logging.SetMinimumLevel(LogLevel.Warning);
            b.Services.AddAkka("vigil", akka => akka.AddHocon("akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING", HoconAddMode.Prepend));
        });
        await app.StartAsync();
        string output;
        int exitCode;
        try
        {
            var url = app.Urls.First();
            using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = clients + requesters + 16, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
            using var http = new HttpClient(handler) { BaseAddress = new Uri(url), Timeout = Timeout.InfiniteTimeSpan };
            http.DefaultRequestHeaders.Add("X-Api-Key", key);
            // Let the first windows close so history requests return data.
            await Task.Delay(TimeSpan.FromSeconds(10));
            Latency? warm = null;
            if (warmup > 0)
            {
                // JIT, Kestrel's and the client's connection pools, the SSE path: exercised, then discarded.
                Progress(json, $"warm-up: API loops and {Math.Min(clients, 100)} live clients, {warmup} s (not counted)");
                using var stopWarm = new CancellationTokenSource();
                var warmReaders = Enumerable.Range(0, Math.Min(clients, 100)).Select(_ => ReadStreamAsync(http, key, stopWarm.Token)).ToArray();
                warm = await ApiLoadAsync(http, patients, requesters, warmup);
                stopWarm.Cancel();
                await Task.WhenAll(warmReaders);
            }
            Progress(json, $"phase 1: API latency, no live clients, {seconds} s");
            var idle = await ApiLoadAsync(http, patients, requesters, seconds);

            Progress(json, $"phase 2: {clients} live clients + API latency, {seconds} s");
            using var stop = new CancellationTokenSource();
            var readers = Enumerable.Range(0, clients).Select(_ => ReadStreamAsync(http, key, stop.Token)).ToArray();
            await Task.Delay(TimeSpan.FromSeconds(2));
            var loaded = await ApiLoadAsync(http, patients, requesters, seconds);
            stop.Cancel();
            var results = await Task.WhenAll(readers);
            var metrics = await http.GetStringAsync("/metrics");
            var dropped = MetricValue(metrics, "vigil_live_dropped");

            var connected = results.Count(r => r.Connected);
            var lost = results.Sum(r => r.Gaps);
            var floors = new JsonObject
            {
                ["lost_updates_zero"] = lost == 0 && connected == clients,
                ["loaded_p99_under_50_ms"] = loaded.P99 <= 50,
            };
            var met = floors.All(f => f.Value!.GetValue<bool>());
            var report = new JsonObject
            {
                ["benchmark"] = "console",
                ["cores"] = Environment.ProcessorCount,
                ["patients"] = patients,
                ["clients"] = clients,
                ["clients_connected"] = connected,
                ["seconds"] = seconds,
                ["requesters"] = requesters,
                ["warmup_seconds"] = warmup,
                ["warmup_api_excluded"] = warm?.ToJson(),
                ["idle_api"] = idle.ToJson(),
                ["loaded_api"] = loaded.ToJson(),
                ["p99_ratio_loaded_over_idle"] = Math.Round(loaded.P99 / idle.P99, 2),
                ["events_per_client_min"] = results.Where(r => r.Connected).Select(r => r.Events).DefaultIfEmpty().Min(),
                ["events_per_client_max"] = results.Where(r => r.Connected).Select(r => r.Events).DefaultIfEmpty().Max(),
                ["clients_with_gaps"] = results.Count(r => r.Gaps > 0),
                ["lost_updates_total"] = lost,
                ["server_dropped"] = dropped,
                ["floors"] = floors,
                ["floors_met"] = met,
            };
            output = json ? report.ToJsonString(new JsonSerializerOptions { WriteIndented = true })
                : FormattableString.Invariant($"{connected}/{clients} live clients: lost {lost} updates; API p99 {loaded.P99:0.0} ms loaded vs {idle.P99:0.0} ms idle (warm-up excluded); floors {(met ? "met" : "MISSED")}");
            exitCode = met ? 0 : 1;
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
        // Written after the console has stopped, so its shutdown log lines come before the report and the JSON is the last thing on stdout.
        Console.WriteLine(output);
        return exitCode;
    }

    private static void Progress(bool json, string line) { if (json) Console.Error.WriteLine(line); else Console.WriteLine(line); }

    private sealed record Latency(int Requests, double P50, double P99, double Max, int Errors)
    {
        public JsonObject ToJson() => new() { ["requests"] = Requests, ["p50_ms"] = Math.Round(P50, 2), ["p99_ms"] = Math.Round(P99, 2), ["max_ms"] = Math.Round(Max, 2), ["errors"] = Errors };
    }

    private static async Task<Latency> ApiLoadAsync(HttpClient http, int patients, int requesters, double seconds)
    {
        var until = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var all = new List<double>[requesters];
        var errors = 0;
        await Task.WhenAll(Enumerable.Range(0, requesters).Select(async r =>
        {
            var list = all[r] = [];
            var i = r;
            while (Stopwatch.GetTimestamp() < until)
            {
                var path = i++ % 2 == 0 ? "/api/patients" : $"/api/patients/bed-{1 + i % patients:00}/heart-rate";
                var t = Stopwatch.GetTimestamp();
                using var response = await http.GetAsync(path);
                await response.Content.ReadAsByteArrayAsync();
                list.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                if (!response.IsSuccessStatusCode) Interlocked.Increment(ref errors);
            }
        }));
        var sorted = all.SelectMany(l => l).Order().ToArray();
        double Q(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
        return new Latency(sorted.Length, Q(0.5), Q(0.99), sorted.LastOrDefault(), errors);
    }

    private sealed record StreamResult(bool Connected, long Events, long Gaps);

    // Reads one SSE stream until cancelled; counts events and gaps in the ward-wide sequence numbers.
    private static async Task<StreamResult> ReadStreamAsync(HttpClient http, string key, CancellationToken stop)
    {
        long events = 0, gaps = 0, last = -1;
        var connected = false;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/stream");
            request.Headers.Add("X-Api-Key", key);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop);
            connected = response.IsSuccessStatusCode;
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop));
            while (await reader.ReadLineAsync(stop) is { } line)
            {
                if (!line.StartsWith("id: ", StringComparison.Ordinal)) continue;
                var seq = long.Parse(line.AsSpan(4), CultureInfo.InvariantCulture);
                if (last >= 0 && seq != last + 1) gaps += seq - last - 1;
                last = seq;
                events++;
            }
        }
        catch (OperationCanceledException) { }
        catch (HttpRequestException) { }
        catch (IOException) { }
        return new StreamResult(connected, events, gaps);
    }

    private static double MetricValue(string text, string prefix)
    {
        double sum = 0;
        foreach (var line in text.Split('\n'))
            if (line.StartsWith(prefix, StringComparison.Ordinal) && !line.StartsWith('#'))
            {
                var parts = line.Split(' ');
                if (parts.Length >= 2 && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var v)) sum += v;
            }
        return sum;
    }
}
