using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vigil.WardConsole.Security;
using Vigil.WardConsole.Ward;

namespace Vigil.WardConsole.Tests;

public sealed class AccessControlTests
{
    [Fact]
    public async Task Health_and_ready_answer_without_a_key_and_api_routes_need_one()
    {
        await using var f = await ConsoleFixture.StartAsync();
        var anon = f.Client();
        Assert.Equal(HttpStatusCode.OK, (await anon.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anon.GetAsync("/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anon.GetAsync("/api/patients")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anon.GetAsync("/fhir/Observation")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await f.Client("not-a-configured-key").GetAsync("/api/alerts")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await f.Client(ConsoleFixture.ViewerKey).GetAsync("/api/patients")).StatusCode);
    }

    [Fact]
    public async Task A_viewer_key_gets_403_on_admin_routes_and_on_acknowledging()
    {
        await using var f = await ConsoleFixture.StartAsync();
        f.Ward.Raise(Alert("a-1", "bed-07"));
        var viewer = f.Client(ConsoleFixture.ViewerKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/api/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/api/cluster")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync("/api/alerts/a-1/ack", null)).StatusCode);
        Assert.Null(f.Ward.Alert("a-1")!.AcknowledgedBy);
        Assert.Equal(HttpStatusCode.Forbidden, (await f.Client(ConsoleFixture.ClinicianKey).GetAsync("/api/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await f.Client(ConsoleFixture.AdminKey).GetAsync("/api/cluster")).StatusCode);
    }

    [Fact]
    public async Task Acknowledging_an_alert_is_audited_with_who_and_what()
    {
        await using var f = await ConsoleFixture.StartAsync();
        f.Ward.Raise(Alert("a-2", "bed-03"));
        var response = await f.Client(ConsoleFixture.ClinicianKey).PostAsync("/api/alerts/a-2/ack", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("nurse-a", body.GetProperty("acknowledgedBy").GetString());
        await f.Client(ConsoleFixture.ViewerKey).PostAsync("/api/alerts/a-2/ack", null);

        var entries = await f.Audit.ReadAsync();
        var ack = Assert.Single(entries, e => e.Action == "acknowledge");
        Assert.Equal("nurse-a", ack.Actor);
        Assert.Equal("Clinician", ack.Role);
        Assert.Equal("/api/alerts/a-2/ack", ack.Resource);
        Assert.Equal(200, ack.Status);
        var denied = Assert.Single(entries, e => e.Action == "denied" && e.Actor == "ward-screen");
        Assert.Equal(403, denied.Status);
        // The audit log is readable over the API by an admin.
        var viaApi = await f.Client(ConsoleFixture.AdminKey).GetFromJsonAsync<JsonElement>("/api/audit");
        Assert.Contains(viaApi.EnumerateArray(), e => e.GetProperty("action").GetString() == "acknowledge" && e.GetProperty("actor").GetString() == "nurse-a");
    }

    [Fact]
    public void Key_store_matches_by_hash_and_rejects_malformed_hashes()
    {
        var store = new ApiKeyStore([new ApiKeyEntry { Name = "n", Role = WardRole.Admin, Sha256 = ApiKeyStore.Hash("secret").ToUpperInvariant() }]);
        Assert.Equal(WardRole.Admin, store.Find("secret")!.Role);
        Assert.Null(store.Find("Secret"));
        Assert.Null(store.Find(null));
        var e = Assert.Throws<InvalidOperationException>(() => new ApiKeyStore([new ApiKeyEntry { Name = "n", Sha256 = "abc" }]));
        Assert.Contains("Console:ApiKeys:0", e.Message);
    }

    internal static WardAlert Alert(string id, string patient) => new()
    {
        Id = id, PatientId = patient, Kind = "tachycardia", Source = "test", Message = "heart rate high",
        Raised = DateTimeOffset.UtcNow, Evidence = ["window 3: 150 bpm"], Provenance = "test-rule",
    };
}
