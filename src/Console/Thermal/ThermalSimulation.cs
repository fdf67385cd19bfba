using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using Microsoft.Extensions.Logging;
using Vigil.Infrared.Alerts;
using Vigil.Infrared.Blinks;
using Vigil.Infrared.Blinks.Synthetic;
using Vigil.Infrared.Breathing;
using Vigil.Infrared.Breathing.Synthetic;
using Vigil.Infrared.Thermal;

namespace Vigil.WardConsole.Thermal;

/// <summary>
/// Thermal cameras for the first beds of the simulated ward, through Vigil.Infrared's real chains on the
/// host's materializer, paced to the wall clock: generated face sequences (<see cref="ThermalFaceSequence"/>,
/// 160×120 at 10 frames/s, a new 4-minute scenario after each one, so talking, region lost, head motion,
/// dropouts and apnoeas come and go) → warm-region face detector → nostril region → breathing windows;
/// generated eye-region frames (<see cref="ThermalEyeSequence"/>) → <see cref="BlinkStage"/> → blinks;
/// windows and action-unit intensities → <see cref="DyspneaAlertStage"/> → dyspnea alerts. The AU
/// intensities are generated with the scenario (struggle AUs up while the scheduled rate is above
/// 24 /min): no AU model runs in the simulation, and their provenance says so. Bed 1's first scenario
/// is a tachypnea episode (16 → 32 → 16 /min, ramps of 0.32 /min per second) so an alert shows early. Each bed's streams start
/// <see cref="BackfillSeconds"/> before the console, processed at once, so the first breathing window
/// (30 s) is on screen at start.
/// </summary>
internal sealed class ThermalSimulation(ThermalWard thermal, DyspneaAlertSource alerts, ILogger<ThermalSimulation> log, TimeProvider? time = null)
{
    /// <summary>Seconds of each bed's streams processed at start (at once, not paced).</summary>
    public const double BackfillSeconds = 36;

    private const double ScenarioSeconds = 240;
    private const string NotForClinicalUse = "NOT FOR CLINICAL USE";
    private static readonly int[] StruggleUnits = [4, 6, 7, 9, 26, 27];

    /// <summary>Runs <paramref name="beds"/> thermal beds until <paramref name="drain"/> fires.</summary>
    public async Task RunAsync(IMaterializer materializer, int beds, CancellationToken drain)
    {
        var clock = time ?? TimeProvider.System;
        var start = clock.GetUtcNow().AddSeconds(-BackfillSeconds);
        var kill = KillSwitches.Shared("ward-thermal");
        var card = new DyspneaAlertCard();
        var runs = new List<Task>();
        for (var b = 0; b < beds; b++)
        {
            var id = $"bed-{b + 1:00}";
            thermal.Admit(id, start);
            var bed = b;
            var detector = new WarmRegionFaceDetector();
            var provenance = BreathingFlows.Provenance(detector) + $"; input: generated thermal face sequences (simulated ward, {id})";
            var windows = Paced(Frames(bed, id), f => f.Timestamp, start, clock, drain)
                .Via(kill.Flow<ThermalFrame>())
                .Via(BreathingFlows.NostrilSignal(detector))
                .Via(BreathingFlows.Windows(id, provenance: provenance))
                .Select(w => { thermal.Record(w); return DyspneaInput.Of(w); });
            var units = Paced(ActionUnits(bed, id), a => a.Time, start, clock, drain)
                .Via(kill.Flow<ActionUnitIntensities>())
                .Select(a => { thermal.Record(a, StruggleUnits); return DyspneaInput.Of(a); });
            runs.Add(windows.Merge(units).Via(DyspneaAlertStage.Flow(card)).RunForeach(alerts.Observe, materializer));
            var blinkProvenance = $"vigil-ir-blinks (thermal eye-region detector, default classifier); input: generated eye-region frames (simulated ward, {id}); {NotForClinicalUse}";
            runs.Add(Paced(EyeFrames(bed), f => TimeSpan.FromMilliseconds(f.TimestampMs), start, clock, drain)
                .Via(kill.Flow<EyeFrame>())
                .Via(new BlinkStage(source: $"simulated eye region {id}"))
                .RunForeach(e => thermal.Record(id, e, blinkProvenance), materializer));
        }
        // A stream that fails stops only its bed; the log says which kind (not which patient: no ids in logs).
        foreach (var run in runs)
            _ = run.ContinueWith(t =>
            {
                var e = t.Exception!.GetBaseException();
                if (e is not (AbruptTerminationException or AbruptStageTerminationException))
                    log.LogWarning(new EventId(1712, "ThermalStreamFailed"), "A simulated thermal stream stopped: {Error}", e.GetType().Name);
            }, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        log.LogInformation(new EventId(1711, "ThermalSimulationStarted"), "Simulated thermal cameras started: {Beds} beds", beds);
        try { await Task.Delay(Timeout.Infinite, drain).ConfigureAwait(false); }
        catch (OperationCanceledException) { /* drain requested */ }
        kill.Shutdown();
        try { await Task.WhenAll(runs).ConfigureAwait(false); }
        catch (Exception e) when (e is OperationCanceledException or AbruptTerminationException or AbruptStageTerminationException) { /* stopped with the host */ }
    }

    // Emits each element when the wall clock reaches start + its time (at once when that is past).
    private static Source<T, NotUsed> Paced<T>(IEnumerable<T> items, Func<T, TimeSpan> at, DateTimeOffset start, TimeProvider clock, CancellationToken drain) =>
        Source.From(items).SelectAsync(1, async item =>
        {
            var wait = start + at(item) - clock.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                try { await Task.Delay(wait, clock, drain).ConfigureAwait(false); }
                catch (OperationCanceledException) { /* the kill switch drops what follows */ }
            }
            return item;
        });

    // The scenario of bed `bed` for its `loop`-th 4-minute stretch.
    internal static ThermalFaceScenario Scenario(int bed, int loop) =>
        bed == 0 && loop == 0
            ? new ThermalFaceScenario
            {
                Seed = 17, DurationSeconds = ScenarioSeconds,
                RateKnots = [(0, 16), (20, 16), (70, 32), (150, 32), (200, 16), (ScenarioSeconds, 16)],
                Talking = [new Episode(215, 227)],
            }
            : ThermalFaceScenario.Random(1000 * (bed + 1) + loop, ScenarioSeconds);

    // Frames of consecutive scenarios on one continuous clock (generated lazily).
    private static IEnumerable<ThermalFrame> Frames(int bed, string id)
    {
        long index = 0;
        for (var loop = 0; ; loop++)
        {
            var offset = TimeSpan.FromSeconds(loop * ScenarioSeconds);
            foreach (var f in new ThermalFaceSequence(Scenario(bed, loop)).Frames($"simulated-{id}"))
                yield return new ThermalFrame(f.Source, index++, f.Timestamp + offset, f.Width, f.Height, f.Celsius, f.Raw, f.Radiometric);
        }
    }

    // Action-unit intensities every 2 s: the struggle AUs follow the scenario's scheduled rate (no AU model runs here).
    private static IEnumerable<ActionUnitIntensities> ActionUnits(int bed, string id)
    {
        const string provenance = "simulated action-unit intensities generated with the breathing scenario (no AU model ran); " + NotForClinicalUse;
        var rng = new Random(bed + 1);
        for (var loop = 0; ; loop++)
        {
            var sequence = new ThermalFaceSequence(Scenario(bed, loop));
            for (var t = 0.0; t < ScenarioSeconds; t += 2)
            {
                var struggling = sequence.ScheduleBpm(t) > 24;
                var units = StruggleUnits.Append(45).ToDictionary(u => u, u => u == 45 ? 0.5 + rng.NextDouble() : Math.Round((struggling ? 2.8 : 0.4) + 0.4 * rng.NextDouble(), 2));
                yield return new ActionUnitIntensities(id, TimeSpan.FromSeconds(loop * ScenarioSeconds + t), units, provenance);
            }
        }
    }

    private static IEnumerable<EyeFrame> EyeFrames(int bed)
    {
        for (var loop = 0; ; loop++)
            foreach (var f in new ThermalEyeSequence(seed: 100 * (bed + 1) + loop, ScenarioSeconds).Frames(loop * ScenarioSeconds * 1000))
                yield return f;
    }
}
