using System.Collections.Concurrent;
using System.Globalization;
using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using Vigil.Streams.Dsl;
using Vigil.Streams.Supervision;

namespace Vigil.Cli.Demo;

/// <summary>
/// The engine part of <c>vigil demo</c>: a small ward graph on Akka.Streams with generated vital
/// signs (nothing from ../shared). Three patients' monitors push readings; one monitor sends a NaN
/// now and then. The graph validates (Vigil's Resume-to-dead-letters stage: bad readings go to the
/// dead letters with their reason, the graph keeps going), keeps each patient's running statistics
/// in Vigil's per-key stage (one state per patient in one fused stage), groups updates with Akka's
/// <c>GroupedWithin</c> and "stores" each group asynchronously (<c>SelectAsync</c>). It then prints
/// what flowed through each stage.
/// </summary>
internal static class EngineDemo
{
    private readonly record struct Reading(string Patient, int Sequence, double HeartRate);

    private sealed class PatientStats
    {
        public int Count;
        public double Sum;
        public int First = -1, Last;
    }

    private sealed record Update(string Patient, int Count, double Mean, int FirstSequence, int LastSequence);

    public static async Task<int> RunAsync(TextWriter output, IMaterializer materializer)
    {
        output.WriteLine("== engine: a keyed ward graph on Akka.Streams (generated vital signs, nothing from ../shared)");
        var readings = GenerateReadings(patients: 3, perPatient: 40);
        var deadLetters = new ConcurrentQueue<DeadLetter<Reading>>();
        long validated = 0, keyed = 0, groups = 0, stored = 0;
        var latest = new ConcurrentDictionary<string, Update>();

        var done = Source.From(readings).Named("monitors")
            .SelectOrDeadLetter(Validate, Sink.ForEach<DeadLetter<Reading>>(deadLetters.Enqueue), "validate")
            .Select(r => { Interlocked.Increment(ref validated); return r; })
            .SelectPerKey(r => r.Patient, _ => new PatientStats(), Accumulate)
            .Select(u => { Interlocked.Increment(ref keyed); return u; })
            .GroupedWithin(10, TimeSpan.FromSeconds(1))
            .Select(g => { Interlocked.Increment(ref groups); return g; })
            .SelectAsync(4, async group => { await Task.Yield(); return group; })
            .RunWith(Sink.ForEach<IEnumerable<Update>>(group =>
            {
                foreach (var u in group)
                {
                    stored++;
                    latest[u.Patient] = u;
                }
            }), materializer);
        await done.WaitAsync(TimeSpan.FromSeconds(30));

        foreach (var u in latest.Values.OrderBy(u => u.Patient, StringComparer.Ordinal))
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {u.Patient}: readings {u.FirstSequence,2}-{u.LastSequence,2}  n={u.Count,2}  mean HR {u.Mean,5:F1}"));

        output.WriteLine("  per-stage flow:");
        output.WriteLine($"    {"stage",-22} {"out",6}");
        output.WriteLine($"    {"monitors",-22} {readings.Count,6}");
        output.WriteLine($"    {"validate (dead letters)",-22} {validated,6}  ({deadLetters.Count} dead-lettered)");
        output.WriteLine($"    {"per-patient stats",-22} {keyed,6}");
        output.WriteLine($"    {"group ≤10 / 1 s",-22} {groups,6}");
        output.WriteLine($"    {"store",-22} {stored,6}");
        foreach (var d in deadLetters)
            output.WriteLine($"  {d}");

        var expectedValid = readings.Count(r => !double.IsNaN(r.HeartRate));
        var summarised = latest.Values.Sum(u => u.Count);
        var ok = summarised == expectedValid && stored == expectedValid && deadLetters.Count == readings.Count - expectedValid;
        output.WriteLine(ok
            ? $"  ok: {summarised} valid readings summarised, {deadLetters.Count} invalid ones dead-lettered, none lost"
            : $"  MISMATCH: {summarised} summarised of {expectedValid} valid, {deadLetters.Count} dead letters");
        return ok ? 0 : 1;
    }

    private static Reading Validate(Reading r) =>
        double.IsFinite(r.HeartRate)
            ? r
            : throw new InvalidDataException($"patient {r.Patient} reading #{r.Sequence}: heart rate is {r.HeartRate} (sensor fault)");

    private static Update Accumulate(PatientStats s, Reading r)
    {
        if (s.First < 0) s.First = r.Sequence;
        s.Last = r.Sequence;
        s.Count++;
        s.Sum += r.HeartRate;
        return new Update(r.Patient, s.Count, s.Sum / s.Count, s.First, s.Last);
    }

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
