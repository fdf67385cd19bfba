using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using System.Threading.Tasks.Dataflow;
using Vigil.Streams;

namespace Vigil.Cli.Benchmarks;

/// <summary>
/// <c>vigil bench streams [--json] [--elements N] [--iterations K]</c>: the same 5-stage Select
/// chain of small structs through Vigil (fused), Vigil with an Async() boundary after every stage,
/// TPL Dataflow TransformBlocks with bounded capacity, and raw bounded Channels; plus
/// GroupedWithin and keyed GroupBy throughput. Runs are interleaved and the median of K is
/// reported, with ratios, because the machine is shared and noisy.
/// </summary>
internal static class StreamsBenchmark
{
    private const int StageCount = 5;
    private const int Capacity = 64;

    /// <summary>The small struct flowing through every chain.</summary>
    private readonly record struct Sample(long Id, double Value);

    private static Sample Step(Sample s) => new(s.Id, s.Value + 1);

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new CommandArguments(args, "json");
        var json = options.Flag("json");
        var elements = options.GetInt("elements", 2_000_000);
        var iterations = options.GetInt("iterations", 5);
        options.RejectUnknown();
        if (elements < 1000) throw new CommandLineException("--elements must be at least 1000");
        if (iterations < 1) throw new CommandLineException("--iterations must be at least 1");

        using var materializer = new Materializer();
        var cases = new (string Name, Func<int, Task<double>> Run)[]
        {
            ("vigil", n => RunVigilAsync(materializer, n, async: false)),
            ("vigil_async", n => RunVigilAsync(materializer, n, async: true)),
            ("dataflow", RunDataflowAsync),
            ("channels", RunChannelsAsync),
            ("grouped_within", n => RunGroupedWithinAsync(materializer, n)),
            ("group_by", n => RunGroupByAsync(materializer, n)),
        };
        // Warm-up: JIT and tiering for every case.
        foreach (var c in cases) await Expect(c.Run(Math.Min(elements, 200_000)), c.Name);

        var rates = cases.ToDictionary(c => c.Name, _ => new List<double>());
        for (var i = 0; i < iterations; i++)
            foreach (var c in cases)
            {
                var count = c.Name is "grouped_within" or "group_by" or "vigil_async" or "dataflow" or "channels" ? elements / 2 : elements;
                var watch = Stopwatch.StartNew();
                await Expect(c.Run(count), c.Name);
                rates[c.Name].Add(count / watch.Elapsed.TotalSeconds);
            }

        var fusedBytes = await SteadyStateBytesPerElementAsync(n => RunVigilAsync(materializer, n, async: false), elements / 4);
        var asyncBytes = await SteadyStateBytesPerElementAsync(n => RunVigilAsync(materializer, n, async: true), elements / 8);
        double Median(string name) { var v = rates[name].Order().ToList(); return v[v.Count / 2]; }
        var vigil = Median("vigil");
        var vigilAsync = Median("vigil_async");
        var dataflow = Median("dataflow");
        var channels = Median("channels");
        var result = new Dictionary<string, object>
        {
            ["benchmark"] = "streams",
            ["stages"] = StageCount,
            ["element"] = "struct { long; double } (16 bytes)",
            ["elements_per_run"] = elements,
            ["iterations"] = iterations,
            ["processor_count"] = Environment.ProcessorCount,
            ["vigil_elements_per_s"] = Math.Round(vigil),
            ["vigil_async_elements_per_s"] = Math.Round(vigilAsync),
            ["dataflow_elements_per_s"] = Math.Round(dataflow),
            ["channels_elements_per_s"] = Math.Round(channels),
            ["grouped_within_elements_per_s"] = Math.Round(Median("grouped_within")),
            ["group_by_elements_per_s"] = Math.Round(Median("group_by")),
            ["vigil_allocated_bytes_per_element"] = Math.Round(fusedBytes, 3),
            ["vigil_async_allocated_bytes_per_element"] = Math.Round(asyncBytes, 3),
            ["ratio_vigil_vs_dataflow"] = Math.Round(vigil / dataflow, 2),
            ["ratio_vigil_vs_channels"] = Math.Round(vigil / channels, 2),
            ["ratio_vigil_async_vs_dataflow"] = Math.Round(vigilAsync / dataflow, 2),
            ["floors_met"] = vigil >= 2.0 * dataflow && vigil >= channels && vigilAsync >= dataflow && fusedBytes < 0.5,
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

    private static Task<double> RunVigilAsync(Materializer materializer, int count, bool async)
    {
        var source = Source.From(new SampleRange(count));
        for (var i = 0; i < StageCount; i++)
        {
            source = source.Select(Step);
            if (async) source = source.Async(Capacity);
        }
        return source.RunWith(Sink.Aggregate<Sample, double>(0, static (a, s) => a + s.Value), materializer);
    }

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

    private static async Task<double> RunGroupedWithinAsync(Materializer materializer, int count)
    {
        var groups = await Source.From(new SampleRange(count)).GroupedWithin(100, TimeSpan.FromSeconds(1))
            .RunWith(Sink.Aggregate<IReadOnlyList<Sample>, long>(0, static (a, g) => a + g.Count), materializer);
        return groups;
    }

    private static async Task<double> RunGroupByAsync(Materializer materializer, int count)
    {
        var total = await Source.From(new SampleRange(count))
            .GroupBy(s => s.Id % 64, _ => Flow.Create<Sample>().Select(Step), maxKeys: 128)
            .RunWith(Sink.Aggregate<Sample, double>(0, static (a, s) => a + s.Value), materializer);
        return total;
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
