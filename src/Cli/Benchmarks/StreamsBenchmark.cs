using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using System.Threading.Tasks.Dataflow;
using Akka.Streams;
using Akka.Streams.Dsl;
using Vigil.Cli.Commands;
using Vigil.Ppg;
using Vigil.Streams.Dsl;
using Vigil.Streams.Metrics;

namespace Vigil.Cli.Benchmarks;

/// <summary>
/// <c>vigil bench streams [--json] [--elements N] [--iterations K]</c>, side by side in one run: the
/// same 5-stage Select chain of small structs through Akka.Streams (fused), Akka.Streams with an
/// async boundary after every stage, TPL Dataflow TransformBlocks with bounded capacity, and raw
/// bounded Channels; the same chain carrying chunks of 125 samples (samples/s); and keyed state over
/// 10,000 keys through Vigil's per-key stage against Akka's GroupBy (a substream per key, Scan in
/// each). Runs are interleaved and the median of K is reported, with ratios, because the machine is
/// shared and noisy.
/// </summary>
internal static class StreamsBenchmark
{
    private const int StageCount = 5;
    private const int Capacity = 64;
    private const int Keys = 10_000;
    private const int ChunkSamples = 125;

    /// <summary>The small struct flowing through every chain.</summary>
    private readonly record struct Sample(long Id, double Value);

    private static Sample Step(Sample s) => new(s.Id, s.Value + 1);

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new CommandArguments(args, "json");
        var json = options.Flag("json");
        var elements = options.GetInt("elements", 800_000);
        var iterations = options.GetInt("iterations", 3);
        options.RejectUnknown();
        if (elements < 1000) throw new CommandLineException("--elements must be at least 1000");
        if (iterations < 1) throw new CommandLineException("--iterations must be at least 1");

        using var system = PpgPipelineRunner.CreateSystem("vigil-bench-streams");
        // GroupBy's substreams must be materialized within the materializer's subscription timeout
        // (5 s by default); creating 10,000 of them on a busy 2-core machine takes longer, and a timed-out
        // substream stalls the whole GroupBy leg. Give them time: this measures throughput, not start-up.
        var materializer = system.Materializer(ActorMaterializerSettings.Create(system).WithSubscriptionTimeoutSettings(
            new StreamSubscriptionTimeoutSettings(StreamSubscriptionTimeoutTerminationMode.CancelTermination, TimeSpan.FromMinutes(10))));
        // Elements per run of each case (keyed and async cases are slower: fewer elements, same rate units).
        var counts = new Dictionary<string, int>
        {
            ["akka"] = elements, ["akka_async"] = elements / 2, ["dataflow"] = elements / 2, ["channels"] = elements / 2,
            ["akka_chunked"] = elements / ChunkSamples, ["per_key"] = elements / 4, ["group_by"] = elements / 8,
        };
        var cases = new (string Name, Func<int, Task<double>> Run)[]
        {
            ("akka", n => RunAkkaAsync(materializer, n, async: false)),
            ("akka_async", n => RunAkkaAsync(materializer, n, async: true)),
            ("dataflow", RunDataflowAsync),
            ("channels", RunChannelsAsync),
            ("akka_chunked", n => RunChunkedAsync(materializer, n)),
            ("per_key", n => RunPerKeyAsync(materializer, n)),
            ("group_by", n => RunGroupByAsync(materializer, n)),
        };
        // Warm-up: JIT and tiering for every case (keyed cases touch every key once at least).
        foreach (var c in cases)
        {
            Console.Error.WriteLine($"bench streams: warm-up {c.Name}...");
            await Expect(c.Run(Math.Min(counts[c.Name], c.Name is "per_key" or "group_by" ? 2 * Keys : 200_000)), c.Name);
        }

        var rates = cases.ToDictionary(c => c.Name, _ => new List<double>());
        for (var i = 0; i < iterations; i++)
            foreach (var c in cases)
            {
                var count = counts[c.Name];
                Console.Error.WriteLine($"bench streams: {c.Name} run {i + 1}/{iterations}, {count} elements...");
                var watch = Stopwatch.StartNew();
                await Expect(c.Run(count), c.Name);
                // Chunked: rate in samples (each element carries ChunkSamples).
                rates[c.Name].Add(count * (c.Name == "akka_chunked" ? ChunkSamples : 1) / watch.Elapsed.TotalSeconds);
            }

        var fusedBytes = await SteadyStateBytesPerElementAsync(n => RunAkkaAsync(materializer, n, async: false), elements / 4);
        double Median(string name) { var v = rates[name].Order().ToList(); return v[v.Count / 2]; }
        var akka = Median("akka");
        var akkaAsync = Median("akka_async");
        var dataflow = Median("dataflow");
        var channels = Median("channels");
        var perKey = Median("per_key");
        var groupBy = Median("group_by");
        await system.Terminate();
        var result = new Dictionary<string, object>
        {
            ["benchmark"] = "streams",
            ["engine"] = PpgCommand.Engine,
            ["stages"] = StageCount,
            ["element"] = "struct { long; double } (16 bytes)",
            ["elements_per_run"] = elements,
            ["iterations"] = iterations,
            ["processor_count"] = Environment.ProcessorCount,
            ["load_average_1min"] = MachineLoad.OneMinuteAverage(),
            ["akka_elements_per_s"] = Math.Round(akka),
            ["akka_async_elements_per_s"] = Math.Round(akkaAsync),
            ["dataflow_elements_per_s"] = Math.Round(dataflow),
            ["channels_elements_per_s"] = Math.Round(channels),
            ["akka_chunked_samples_per_s"] = Math.Round(Median("akka_chunked")),
            ["chunk_samples"] = ChunkSamples,
            ["keys"] = Keys,
            ["per_key_elements_per_s"] = Math.Round(perKey),
            ["group_by_elements_per_s"] = Math.Round(groupBy),
            ["akka_allocated_bytes_per_element"] = Math.Round(fusedBytes, 1),
            ["ratio_akka_vs_dataflow"] = Math.Round(akka / dataflow, 2),
            ["ratio_akka_vs_channels"] = Math.Round(akka / channels, 2),
            ["ratio_akka_chunked_samples_vs_akka"] = Math.Round(Median("akka_chunked") / akka, 2),
            ["ratio_per_key_vs_group_by"] = Math.Round(perKey / groupBy, 2),
            ["floor_per_key_3x_group_by_met"] = perKey >= 3 * groupBy,
            ["all_rates"] = rates.ToDictionary(kv => kv.Key, kv => kv.Value.Select(v => Math.Round(v)).ToArray()),
        };
        if (json)
            Console.WriteLine(JsonSerializer.Serialize(result));
        else
            foreach (var (key, value) in result)
                Console.WriteLine($"{key,-42} {(value is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : JsonSerializer.Serialize(value))}");
        return 0;
    }

    private static async Task Expect(Task<double> run, string name)
    {
        var checksum = await run;
        if (checksum <= 0) throw new InvalidOperationException($"benchmark case {name} produced no output");
    }

    /// <summary>Bytes allocated per element over the steady state: the difference between runs of 2n and n elements.</summary>
    private static async Task<double> SteadyStateBytesPerElementAsync(Func<int, Task<double>> run, int n)
    {
        await run(n);
        var before = GC.GetTotalAllocatedBytes(precise: true);
        await run(n);
        var small = GC.GetTotalAllocatedBytes(precise: true) - before;
        before = GC.GetTotalAllocatedBytes(precise: true);
        await run(2 * n);
        var large = GC.GetTotalAllocatedBytes(precise: true) - before;
        return Math.Max(0, (double)(large - small) / n);
    }

    private static Task<double> RunAkkaAsync(IMaterializer materializer, int count, bool async)
    {
        var source = Source.From(new SampleRange(count));
        for (var i = 0; i < StageCount; i++)
        {
            source = source.Select(Step);
            if (async) source = source.Async();
        }
        return source.RunWith(Sink.Aggregate<Sample, double>(0, static (a, s) => a + s.Value), materializer);
    }

    // The same chain, each element a chunk of samples (as the PPG graph carries a second of samples).
    private static Task<double> RunChunkedAsync(IMaterializer materializer, int chunks)
    {
        var source = Source.From(Enumerable.Range(0, chunks)).Select(c =>
        {
            var chunk = new Sample[ChunkSamples];
            for (var i = 0; i < chunk.Length; i++) chunk[i] = new Sample((long)c * ChunkSamples + i, 0);
            return chunk;
        });
        for (var i = 0; i < StageCount; i++)
            source = source.Select(static chunk => { for (var k = 0; k < chunk.Length; k++) chunk[k] = Step(chunk[k]); return chunk; });
        return source.RunWith(Sink.Aggregate<Sample[], double>(0, static (a, c) => a + c[^1].Value), materializer);
    }

    // Vigil's per-key stage: a running sum per key, 10,000 keys, one fused stage.
    private static Task<double> RunPerKeyAsync(IMaterializer materializer, int count) =>
        Source.From(new SampleRange(count))
            .SelectPerKey(s => s.Id % Keys, _ => new double[1], static (state, s) => state[0] += s.Value + 1)
            .RunWith(Sink.Aggregate<double, double>(0, static (a, v) => a + v), materializer);

    // Akka's GroupBy: a substream per key, the same running sum as a Scan in each, merged back.
    private static Task<double> RunGroupByAsync(IMaterializer materializer, int count) =>
        ((Source<double, Akka.NotUsed>)Source.From(new SampleRange(count))
            .GroupBy(Keys + 1, s => s.Id % Keys)
            .Scan(0.0, static (sum, s) => sum + s.Value + 1)
            .MergeSubstreams())
            .RunWith(Sink.Aggregate<double, double>(0, static (a, v) => a + v), materializer);

    private static async Task<double> RunDataflowAsync(int count)
    {
        var options = new ExecutionDataflowBlockOptions { BoundedCapacity = Capacity, SingleProducerConstrained = true };
        var link = new DataflowLinkOptions { PropagateCompletion = true };
        var first = new TransformBlock<Sample, Sample>(Step, options);
        var last = first;
        for (var i = 1; i < StageCount; i++)
        {
            var next = new TransformBlock<Sample, Sample>(Step, options);
            last.LinkTo(next, link);
            last = next;
        }
        double sum = 0;
        var sink = new ActionBlock<Sample>(s => sum += s.Value, options);
        last.LinkTo(sink, link);
        for (var i = 0; i < count; i++)
            if (!first.Post(new Sample(i, 0)))
                await first.SendAsync(new Sample(i, 0));
        first.Complete();
        await sink.Completion;
        return sum;
    }

    private static async Task<double> RunChannelsAsync(int count)
    {
        var options = new BoundedChannelOptions(Capacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait };
        var channels = Enumerable.Range(0, StageCount + 1).Select(_ => Channel.CreateBounded<Sample>(options)).ToArray();
        var stages = new List<Task>();
        for (var i = 0; i < StageCount; i++)
        {
            var input = channels[i].Reader;
            var output = channels[i + 1].Writer;
            stages.Add(Task.Run(async () =>
            {
                while (await input.WaitToReadAsync())
                    while (input.TryRead(out var s))
                    {
                        var r = Step(s);
                        if (!output.TryWrite(r)) await output.WriteAsync(r);
                    }
                output.Complete();
            }));
        }
        var consumer = Task.Run(async () =>
        {
            double sum = 0;
            var reader = channels[StageCount].Reader;
            while (await reader.WaitToReadAsync())
                while (reader.TryRead(out var s)) sum += s.Value;
            return sum;
        });
        var writer = channels[0].Writer;
        for (var i = 0; i < count; i++)
        {
            var s = new Sample(i, 0);
            if (!writer.TryWrite(s)) await writer.WriteAsync(s);
        }
        writer.Complete();
        await Task.WhenAll(stages);
        return await consumer;
    }

    /// <summary>Samples 0..count-1 without an array, so the source itself allocates nothing per element.</summary>
    private sealed class SampleRange(int count) : IEnumerable<Sample>
    {
        public IEnumerator<Sample> GetEnumerator()
        {
            for (var i = 0; i < count; i++) yield return new Sample(i, 0);
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
