using System.Globalization;
using Vigil.Streams;

namespace Vigil.Cli.Demo;

/// <summary>
/// The engine part of <c>vigil demo</c>: a small ward graph on generated vital signs. Three
/// patients' monitors push readings; one monitor sends a NaN now and then. The graph validates
/// (Resume: bad readings go to the dead letters, the graph keeps going), keys by patient,
/// summarises each patient's readings in groups, and "stores" the summaries asynchronously.
/// It then prints what flowed through each stage.
/// </summary>
internal static class EngineDemo
{
    private readonly record struct Reading(string Patient, int Sequence, double HeartRate);

    private sealed record Summary(string Patient, int Count, double Mean, int FirstSequence, int LastSequence);

    public static async Task<int> RunAsync(TextWriter output)
    {
        output.WriteLine("== engine: a keyed ward graph on generated vital signs");
        using var materializer = new Materializer(new MaterializerOptions { TimeProvider = TimeProvider.System });

        var readings = GenerateReadings(patients: 3, perPatient: 40);
        var stored = new List<Summary>();

        var handle = Source.From(readings).Named("monitors")
            .Select(Validate).Named("validate").WithSupervision(Supervision.Resume)
            .GroupBy(r => r.Patient,
                     patient => Flow.Create<Reading>().GroupedWithin(10, TimeSpan.FromSeconds(1)).Named("group-10")
                                    .Select(batch => Summarise(patient, batch)).Named("summarise"),
                     maxKeys: 100, idleTimeout: TimeSpan.FromMinutes(5)).Named("by-patient")
            .SelectAsync(parallelism: 4, async s => { await Task.Yield(); return s; }).Named("store")
            .To(Sink.ForEach<Summary>(s => { lock (stored) stored.Add(s); }))
            .Run(materializer, name: "ward-demo");

        await handle.Completion.WaitAsync(TimeSpan.FromSeconds(30));

        foreach (var s in stored.OrderBy(s => s.Patient).ThenBy(s => s.FirstSequence))
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {s.Patient}: readings {s.FirstSequence,2}-{s.LastSequence,2}  n={s.Count,2}  mean HR {s.Mean,5:F1}"));

        output.WriteLine("  per-stage flow:");
        output.WriteLine($"    {"stage",-14} {"kind",-14} {"in",6} {"out",6} {"dead",5}");
        foreach (var m in handle.Metrics)
            output.WriteLine($"    {m.Stage,-14} {m.Kind,-14} {m.ElementsIn,6} {m.ElementsOut,6} {m.DeadLettered,5}");
        foreach (var d in handle.DeadLetters)
            output.WriteLine($"  dead letter at '{d.Stage}': {d.Error.Message}");

        var expectedValid = readings.Count(r => !double.IsNaN(r.HeartRate));
        var summarised = stored.Sum(s => s.Count);
        var ok = summarised == expectedValid && handle.DeadLetters.Count == readings.Count - expectedValid;
        output.WriteLine(ok
            ? $"  ok: {summarised} valid readings summarised, {handle.DeadLetters.Count} invalid ones dead-lettered, none lost"
            : $"  MISMATCH: {summarised} summarised of {expectedValid} valid, {handle.DeadLetters.Count} dead letters");
        return ok ? 0 : 1;
    }

    private static Reading Validate(Reading r) =>
        double.IsFinite(r.HeartRate)
            ? r
            : throw new InvalidDataException($"patient {r.Patient} reading #{r.Sequence}: heart rate is {r.HeartRate} (sensor fault)");

    private static Summary Summarise(string patient, IReadOnlyList<Reading> batch) =>
        new(patient, batch.Count, batch.Average(r => r.HeartRate), batch[0].Sequence, batch[^1].Sequence);

    private static List<Reading> GenerateReadings(int patients, int perPatient)
    {
        var random = new Random(42);
        var list = new List<Reading>();
        for (var i = 0; i < perPatient; i++)
            for (var p = 0; p < patients; p++)
            {
                var faulty = p == 2 && i % 13 == 5; // patient 3's monitor glitches now and then
                var hr = faulty ? double.NaN : 60 + 15 * p + 5 * Math.Sin(i / 6.0) + random.NextDouble();
                list.Add(new Reading($"patient-{p + 1}", i, hr));
            }
        return list;
    }
}
