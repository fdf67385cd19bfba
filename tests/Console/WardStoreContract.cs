using System.Net.Http.Json;
using System.Text.Json;
using Bundle = Hl7.Fhir.Model.Bundle;
using Observation = Hl7.Fhir.Model.Observation;
using Hl7.Fhir.Serialization;
using Vigil.Infrared.Alerts;
using Vigil.Infrared.Blinks;
using Vigil.Infrared.Breathing;
using Vigil.Ppg;
using Vigil.WardConsole.Security;
using Vigil.WardConsole.Storage;
using Vigil.WardConsole.Ward;

namespace Vigil.WardConsole.Tests;

/// <summary>
/// What every store must do, run against each provider (SQLite below, PostgreSQL in
/// <see cref="PostgresWardStoreTests"/>): reads see every write enqueued before them, alerts keep
/// their first acknowledgement, results come back by kind, time and per-patient limit, and
/// everything survives closing and reopening the store — and a whole console restart.
/// </summary>
public abstract class WardStoreContract : IAsyncLifetime
{
    /// <summary>Storage options for a fresh, empty store of the provider under test.</summary>
    protected abstract Task<StorageOptions> FreshAsync();

    /// <summary>SQLite file used when the options name no connection string.</summary>
    protected string SqliteFile { get; } = Path.Combine(Path.GetTempPath(), "vigil-store-" + Guid.NewGuid().ToString("N"), "store.db");

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(SqliteFile)!);
        return Task.CompletedTask;
    }

    public virtual Task DisposeAsync()
    {
        try { Directory.Delete(Path.GetDirectoryName(SqliteFile)!, true); } catch (IOException) { }
        return Task.CompletedTask;
    }

    private IWardStore Open(StorageOptions o) => WardStores.Open(o, SqliteFile);

    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Audit_entries_come_back_newest_first_with_every_field()
    {
        var o = await FreshAsync();
        await using var store = Open(o);
        for (var i = 0; i < 5; i++) store.Append(new AuditEntry(T0.AddSeconds(i), "nurse-" + i, "Clinician", "read", $"/api/patients/bed-{i:00}", 200 + i));
        var entries = await store.ReadAuditAsync(3);
        Assert.Equal(["nurse-4", "nurse-3", "nurse-2"], entries.Select(e => e.Actor));
        Assert.Equal(new AuditEntry(T0.AddSeconds(4), "nurse-4", "Clinician", "read", "/api/patients/bed-04", 204), entries[0]);
        Assert.Equal(0, store.QueueDepth);
    }

    [Fact]
    public async Task Everything_written_is_there_after_closing_and_reopening()
    {
        var o = await FreshAsync();
        await using (var store = Open(o))
        {
            store.Append(new AuditEntry(T0, "nurse-a", "Clinician", "acknowledge", "/api/alerts/a-1/ack", 200));
            var alert = AccessControlTests.Alert("a-1", "bed-01");
            store.Save(alert);
            alert.AcknowledgedBy = "nurse-a";
            alert.AcknowledgedAt = T0.AddMinutes(1);
            store.Save(alert);
            store.Save(AccessControlTests.Alert("a-2", "bed-02"));
            store.Append(new StoredResult("bed-01", "hr", T0, "{\"bpm\":71.5}"));
            // No flush: disposing commits what is queued.
        }
        await using (var reopened = Open(o))
        {
            Assert.Equal("nurse-a", Assert.Single(await reopened.ReadAuditAsync(10)).Actor);
            var alerts = await reopened.LoadAlertsAsync();
            Assert.Equal(2, alerts.Count);
            var acked = Assert.Single(alerts, a => a.Id == "a-1");
            Assert.Equal("nurse-a", acked.AcknowledgedBy);
            Assert.Equal(T0.AddMinutes(1), acked.AcknowledgedAt);
            Assert.Equal(["window 3: 150 bpm"], acked.Evidence);
            Assert.Equal("test-rule", acked.Provenance);
            Assert.Null(Assert.Single(alerts, a => a.Id == "a-2").AcknowledgedBy);
            var r = Assert.Single(await reopened.LoadResultsAsync("hr", T0.AddHours(-1), 10));
            Assert.Equal(("bed-01", T0), (r.PatientId, r.Time));
            Assert.Equal(71.5, JsonDocument.Parse(r.Payload).RootElement.GetProperty("bpm").GetDouble());
        }
    }

    [Fact]
    public async Task A_late_copy_of_a_raised_alert_does_not_reopen_its_acknowledgement()
    {
        var o = await FreshAsync();
        await using var store = Open(o);
        var raised = AccessControlTests.Alert("a-3", "bed-03");
        var acked = AccessControlTests.Alert("a-3", "bed-03");
        acked.AcknowledgedBy = "nurse-b";
        acked.AcknowledgedAt = T0;
        store.Save(acked);
        store.Save(raised);
        Assert.Equal("nurse-b", Assert.Single(await store.LoadAlertsAsync()).AcknowledgedBy);
    }

    [Fact]
    public async Task Results_come_back_by_kind_since_a_time_newest_per_patient_oldest_first()
    {
        var o = await FreshAsync();
        await using var store = Open(o);
        for (var i = 0; i < 10; i++)
        {
            store.Append(new StoredResult("bed-01", "hr", T0.AddSeconds(2 * i), $"{{\"i\":{i}}}"));
            store.Append(new StoredResult("bed-02", "hr", T0.AddSeconds(2 * i + 1), $"{{\"i\":{i}}}"));
            store.Append(new StoredResult("bed-01", "breathing", T0.AddSeconds(2 * i), $"{{\"i\":{i}}}"));
        }
        var hr = await store.LoadResultsAsync("hr", T0.AddSeconds(4), 3);
        Assert.Equal(6, hr.Count);
        Assert.Equal(hr.OrderBy(r => r.Time).Select(r => r.Time), hr.Select(r => r.Time));
        Assert.Equal([7, 8, 9], hr.Where(r => r.PatientId == "bed-01").Select(r => JsonDocument.Parse(r.Payload).RootElement.GetProperty("i").GetInt32()));
        Assert.All(hr, r => Assert.Equal("hr", r.Kind));
        var since = await store.LoadResultsAsync("breathing", T0.AddSeconds(15), 100);
        Assert.Equal([8, 9], since.Select(r => JsonDocument.Parse(r.Payload).RootElement.GetProperty("i").GetInt32()));
    }

    [Fact]
    public async Task Many_queued_writes_are_all_committed_in_batches()
    {
        var o = await FreshAsync();
        o.BatchSize = 250;
        await using var store = Open(o);
        for (var i = 0; i < 5000; i++) store.Append(new StoredResult("bed-" + (i % 20).ToString("00"), "hr", T0.AddSeconds(i), "{}"));
        var all = await store.LoadResultsAsync("hr", T0.AddDays(-1), 10_000);
        Assert.Equal(5000, all.Count);
        Assert.Equal(0, store.Lost);
    }

    [Fact]
    public async Task A_restarted_console_shows_the_alerts_acknowledgements_and_history_it_had()
    {
        var o = await FreshAsync();
        string alertId;
        await using (var first = await ConsoleFixture.StartAsync(c => { c.Storage = o; c.AuditDatabase = SqliteFile; }))
        {
            for (var w = 0; w < 4; w++) first.Ward.Record(ConsoleFixture.Result("bed-11", w, 140 + w));
            first.Ward.Record(ConsoleFixture.Result("bed-11", 4, double.NaN, PpgStatus.Withheld, 0.1));
            first.Ward.Raise(AccessControlTests.Alert("a-restart", "bed-11"));
            first.Ward.Raise(AccessControlTests.Alert("a-open", "bed-12"));
            alertId = "a-restart";
            var ack = await first.Client(ConsoleFixture.ClinicianKey).PostAsync($"/api/alerts/{alertId}/ack", null);
            Assert.Equal(System.Net.HttpStatusCode.OK, ack.StatusCode);
        }
        await using var second = await ConsoleFixture.StartAsync(c => { c.Storage = o; c.AuditDatabase = SqliteFile; });
        var admin = second.Client(ConsoleFixture.AdminKey);
        var history = await admin.GetFromJsonAsync<JsonElement>("/api/patients/bed-11/heart-rate");
        Assert.Equal([140.0, 141.0, 142.0, 143.0], history.EnumerateArray().Take(4).Select(h => h.GetProperty("bpm").GetDouble()));
        Assert.Equal(JsonValueKind.Null, history[4].GetProperty("bpm").ValueKind);
        Assert.Equal("withheld", history[4].GetProperty("status").GetString());
        var alerts = await admin.GetFromJsonAsync<JsonElement>("/api/alerts");
        Assert.Equal("nurse-a", alerts.EnumerateArray().Single(a => a.GetProperty("id").GetString() == alertId).GetProperty("acknowledgedBy").GetString());
        Assert.Equal(JsonValueKind.Null, alerts.EnumerateArray().Single(a => a.GetProperty("id").GetString() == "a-open").GetProperty("acknowledgedBy").ValueKind);
        // The first run's audit (the acknowledgement) is still there.
        Assert.Contains(await second.Audit.ReadAsync(), e => e.Action == "acknowledge" && e.Resource == $"/api/alerts/{alertId}/ack");
        // FHIR serves the restored windows, the withheld one with its data-absent reason.
        var bundle = JsonSerializer.Deserialize<Bundle>(await admin.GetStringAsync("/fhir/Observation?patient=bed-11&code=http://loinc.org|8867-4"), new JsonSerializerOptions().ForFhir())!;
        var observations = bundle.Entry.Select(e => (Observation)e.Resource!).ToList();
        Assert.Equal(5, observations.Count);
        Assert.Single(observations, ob => ob!.DataAbsentReason is not null);
        // New live windows after the restart join the restored history.
        second.Ward.Record(ConsoleFixture.Result("bed-11", 0, 90));
        Assert.Equal(6, second.Ward.History("bed-11").Count);
    }

    [Fact]
    public async Task A_restarted_console_shows_the_thermal_records_it_had_and_follows_a_new_stream_clock()
    {
        var o = await FreshAsync();
        var start = DateTimeOffset.UtcNow.AddMinutes(-5);
        static BreathingWindow Window(int i, BreathingStatus status, double rate) => new("bed-07", i, TimeSpan.FromSeconds(2 * i), TimeSpan.FromSeconds(2 * i + 30),
            status, rate, status == BreathingStatus.Ok ? null : "signal weak", 0.95, 0.2, 0.6, 0.1, 0.2, 3.5, 8, "test; NOT FOR CLINICAL USE");
        await using (var first = await ConsoleFixture.StartAsync(c => { c.Storage = o; c.AuditDatabase = SqliteFile; }))
        {
            first.Thermal.Admit("bed-07", start);
            first.Thermal.Record(Window(0, BreathingStatus.Ok, 18.04));
            first.Thermal.Record(Window(1, BreathingStatus.Withheld, double.NaN));
            first.Thermal.Record("bed-07", new BlinkEvent(1_000, 1_250, 4.5), "blink test");
            first.Thermal.Record(new ActionUnitIntensities("bed-07", TimeSpan.FromSeconds(4), new Dictionary<int, double> { [4] = 2.5, [26] = 1.5 }, "au test"), [4, 26]);
            first.Thermal.Record(new DyspneaEvent("bed-07", DyspneaEventKind.AlertRaised, TimeSpan.FromSeconds(40), true, 0.9, [], "tachypnea", "card"));
        }
        await using var second = await ConsoleFixture.StartAsync(c => { c.Storage = o; c.AuditDatabase = SqliteFile; });
        var thermal = second.Thermal;
        var windows = thermal.Breathing("bed-07");
        Assert.Equal([18.0, null], windows.Select(w => w.RateBpm));
        Assert.Equal("signal weak", windows[1].Reason);
        Assert.Equal(start.AddSeconds(32), windows[1].End);
        Assert.Equal(start.AddMilliseconds(1_250), Assert.Single(thermal.Blinks("bed-07")).End);
        Assert.Equal(2.5, Assert.Single(thermal.ActionUnits("bed-07")).Intensities[4]);
        Assert.Equal("tachypnea", Assert.Single(thermal.Dyspnea("bed-07")).Reason);
        // FHIR rebuilds the restored breathing windows (LOINC 9279-1), the withheld one with its data-absent reason.
        var admin = second.Client(ConsoleFixture.AdminKey);
        var bundle = JsonSerializer.Deserialize<Bundle>(await admin.GetStringAsync("/fhir/Observation?patient=bed-07&code=http://loinc.org|9279-1"), new JsonSerializerOptions().ForFhir())!;
        Assert.Equal(2, bundle.Entry.Count);
        Assert.Single(bundle.Entry, e => ((Observation)e.Resource!).DataAbsentReason is not null);
        // A live stream after the restart starts its own clock and joins the restored history.
        var restart = DateTimeOffset.UtcNow;
        thermal.Admit("bed-07", restart);
        Assert.Equal(restart, thermal.StreamStart("bed-07"));
        thermal.Record(Window(0, BreathingStatus.Ok, 20));
        Assert.Equal(3, thermal.Breathing("bed-07").Count);
        Assert.Equal(restart.AddSeconds(30), thermal.Breathing("bed-07")[2].End);
    }
}

/// <summary>The store contract on the embedded SQLite store (the default).</summary>
public sealed class SqliteWardStoreTests : WardStoreContract
{
    protected override Task<StorageOptions> FreshAsync() => Task.FromResult(new StorageOptions { Provider = StorageOptions.Sqlite });
}

/// <summary>The store contract on PostgreSQL (a fresh database per test; needs `scripts/setup postgres`, which ./test runs).</summary>
public sealed class PostgresWardStoreTests : WardStoreContract
{
    private readonly List<PostgresDatabase> _databases = [];

    protected override async Task<StorageOptions> FreshAsync()
    {
        var db = await PostgresDatabase.CreateAsync();
        _databases.Add(db);
        return new StorageOptions { Provider = StorageOptions.PostgreSql, ConnectionString = db.ConnectionString };
    }

    public override async Task DisposeAsync()
    {
        foreach (var db in _databases) await db.DisposeAsync();
        await base.DisposeAsync();
    }
}
