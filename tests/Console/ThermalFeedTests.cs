using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Infrared.Alerts;
using Vigil.Infrared.Blinks.Synthetic;
using Vigil.Infrared.Breathing.Synthetic;
using Vigil.Tests.Common;
using Vigil.WardConsole.Thermal;
using Task = System.Threading.Tasks.Task;

namespace Vigil.WardConsole.Tests;

/// <summary>
/// The simulated thermal bed through Vigil.Infrared's real chains on a manual clock: what is due is
/// processed, nothing more, so counts are exact; rates are checked against the generator's truth.
/// </summary>
public sealed class ThermalFeedTests
{
    private static readonly JsonSerializerOptions Fhir = new JsonSerializerOptions().ForFhir();

    [Fact]
    public async Task Simulated_bed_runs_breathing_blinks_and_action_units_through_the_real_chains()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var f = await ConsoleFixture.StartAsync(o => { o.WardSimulation = 1; o.ThermalBeds = 1; }, b => b.Services.AddSingleton<TimeProvider>(clock));
        var thermal = f.Thermal;
        // Backfill: the first 36 s are processed at once (windows end at 30, 32, 34, 36 s).
        await WaitFor(() => thermal.Breathing("bed-01").Count >= 4 && thermal.ActionUnits("bed-01").Count >= 19);
        clock.Advance(TimeSpan.FromSeconds(10));
        await WaitFor(() => thermal.Breathing("bed-01").Count >= 9 && thermal.ActionUnits("bed-01").Count >= 24);
        var windows = thermal.Breathing("bed-01");
        Assert.Equal(9, windows.Count);
        Assert.Equal(24, thermal.ActionUnits("bed-01").Count); // every 2 s from 0 to 46 s
        var start = thermal.StreamStart("bed-01")!.Value;
        var truth = new ThermalFaceSequence(ThermalSimulation.Scenario(0, 0));
        var errors = new List<double>();
        foreach (var w in windows)
        {
            Assert.Equal(30, (w.End - w.Start).TotalSeconds, 6);
            if (w.RateBpm is { } rate) errors.Add(Math.Abs(rate - truth.MeanRate((w.Start - start).TotalSeconds, (w.End - start).TotalSeconds)));
            else Assert.False(string.IsNullOrEmpty(w.Reason));
            Assert.Contains("NOT FOR CLINICAL USE", w.Provenance);
        }
        // The windows lie on the rising ramp (16 -> 32 /min from 20 s): the spectrum lags a rising rate a little,
        // so the bounds are docs/infrared.md's held-out figures (MAE <= 1 /min, largest error 2.6 /min).
        Assert.True(errors.Count >= 7, $"only {errors.Count} of 9 clean windows reported a rate");
        Assert.True(errors.Average() <= 1.0 && errors.Max() <= 2.6, $"breathing rate errors {string.Join(", ", errors.Select(e => e.ToString("0.00")))} /min");

        // Blinks: the detector finds the generated ones that became final by 46 s.
        await WaitFor(() => thermal.Blinks("bed-01").Count > 0);
        var eye = new ThermalEyeSequence(100, 240);
        var due = eye.Blinks.Where(b => b.EndMs + 500 < 46_000).ToArray();
        var found = thermal.Blinks("bed-01");
        Assert.InRange(found.Count, due.Length - 1, due.Length + 1);
        Assert.All(found, b => Assert.Contains(due, t => Math.Abs((b.Start - start).TotalMilliseconds - t.StartMs) < 400));

        // REST and FHIR (LOINC 9279-1, built by Vigil.Infrared) serve the same windows.
        var client = f.Client(ConsoleFixture.ViewerKey);
        var json = JsonDocument.Parse(await client.GetStringAsync("/api/patients/bed-01/breathing")).RootElement;
        Assert.Equal(9, json.GetProperty("windows").GetArrayLength());
        var bundle = JsonSerializer.Deserialize<Bundle>(await client.GetStringAsync("/fhir/Observation?patient=bed-01&code=http://loinc.org|9279-1"), Fhir)!;
        Assert.Equal(9, bundle.Entry.Count);
        var first = (Observation)bundle.Entry[0].Resource!;
        Assert.Equal("9279-1", first.Code.Coding[0].Code);
        Assert.Equal("bed-01", first.Subject!.Identifier!.Value);
        if (windows[0].RateBpm is { } r0) Assert.Equal((decimal)r0, ((Quantity)first.Value!).Value);
        var blinks = JsonDocument.Parse(await client.GetStringAsync("/api/patients/bed-01/blinks")).RootElement;
        Assert.Equal(found.Count, blinks.GetProperty("blinks").GetArrayLength());
        Assert.Equal(24, blinks.GetProperty("actionUnits").GetArrayLength());
    }

    [Fact]
    public async Task Withheld_window_serves_nulls_and_a_data_absent_reason()
    {
        await using var f = await ConsoleFixture.StartAsync();
        var start = DateTimeOffset.UtcNow.AddMinutes(-5);
        f.Thermal.Admit("bed-07", start);
        f.Thermal.Record(new Vigil.Infrared.Breathing.BreathingWindow("bed-07", 0, TimeSpan.Zero, TimeSpan.FromSeconds(30), Vigil.Infrared.Breathing.BreathingStatus.Withheld,
            double.NaN, "talking: the mouth region changes", 0.95, 0.1, double.NaN, double.NaN, double.NaN, 12.0, 5, "test; NOT FOR CLINICAL USE"));
        var client = f.Client(ConsoleFixture.ViewerKey);
        var w = JsonDocument.Parse(await client.GetStringAsync("/api/patients/bed-07/breathing")).RootElement.GetProperty("windows")[0];
        Assert.Equal(JsonValueKind.Null, w.GetProperty("rateBpm").ValueKind);
        Assert.Equal(JsonValueKind.Null, w.GetProperty("breathIntervalCv").ValueKind);
        Assert.Equal("withheld", w.GetProperty("status").GetString());
        var obs = (Observation)JsonSerializer.Deserialize<Bundle>(await client.GetStringAsync("/fhir/Observation?patient=bed-07&code=9279-1"), Fhir)!.Entry.Single().Resource!;
        Assert.Null(obs.Value);
        Assert.Contains("talking", obs.DataAbsentReason!.Text);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await client.GetAsync("/api/patients/nobody/breathing")).StatusCode);
    }

    [Fact]
    public async Task Dyspnea_event_becomes_a_ward_alert_with_every_criterion_as_evidence()
    {
        await using var f = await ConsoleFixture.StartAsync();
        var start = DateTimeOffset.UtcNow.AddMinutes(-2);
        f.Thermal.Admit("bed-04", start);
        var source = f.App.Services.GetRequiredService<DyspneaAlertSource>();
        source.Observe(new DyspneaEvent("bed-04", DyspneaEventKind.AlertRaised, TimeSpan.FromSeconds(96), true, 3,
        [
            new DyspneaEvidence("tachypnea", 31.5, 24, "/min", true, 2, "window 33"),
            new DyspneaEvidence("irregularity", double.NaN, 0.35, "1", false, 1, "window 33"),
            new DyspneaEvidence("apnoea", 4, 20, "s", false, 3, "window 33"),
            new DyspneaEvidence("au-activity", 3.1, 2, "intensity 0-5", true, 1, "AU sample at 94 s"),
        ], "tachypnea and struggle for 2 windows", "vigil-dyspnea-default 1"));
        await WaitFor(() => f.Ward.Alerts.Any(a => a.Kind == "dyspnea"));
        var alert = f.Ward.Alerts.Single(a => a.Kind == "dyspnea");
        Assert.Equal("bed-04", alert.PatientId);
        Assert.Equal(start.AddSeconds(96), alert.Raised);
        Assert.Equal(4, alert.Evidence.Count);
        Assert.Contains(alert.Evidence, e => e.StartsWith("tachypnea: 31.5 /min (met, threshold 24 /min)", StringComparison.Ordinal));
        Assert.Contains(alert.Evidence, e => e.StartsWith("irregularity: not measurable", StringComparison.Ordinal));
        Assert.Contains("NOT FOR CLINICAL USE", alert.Provenance);
        Assert.Single(f.Thermal.Dyspnea("bed-04"));
    }

    // Waits for work on other threads (the graphs); a bound, not a timing assertion.
    private static async Task WaitFor(Func<bool> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(90);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, "the simulated thermal bed did not deliver in 90 s");
            await Task.Delay(50);
        }
    }
}
