using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Vigil.WardConsole.Tests;

public sealed class TracingTests
{
    private const string Patient = "patient-zz-4711";

    [Fact]
    public async Task Spans_cover_requests_acknowledgement_store_writes_and_fan_out_and_carry_no_patient_identifier()
    {
        var spans = new List<Activity>();
        await using var f = await ConsoleFixture.StartAsync(customize: b => b.Services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans)));
        for (var w = 0; w < 3; w++) f.Ward.Record(ConsoleFixture.Result(Patient, w, 80));
        f.Ward.Raise(AccessControlTests.Alert("a-77", Patient));
        var viewer = f.Client(ConsoleFixture.ViewerKey);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/patients/{Patient}/heart-rate?from=2026-01-01T00:00:00Z")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/patients/{Patient}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/fhir/Observation?patient={Patient}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await viewer.GetAsync($"/api/nothing/{Patient}")).StatusCode);
        // Other tests' consoles run in this process at the same time: this request carries its own trace id.
        var trace = ActivityTraceId.CreateRandom();
        using var ackRequest = new HttpRequestMessage(HttpMethod.Post, "/api/alerts/a-77/ack");
        ackRequest.Headers.Add("traceparent", $"00-{trace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        Assert.Equal(HttpStatusCode.OK, (await f.Client(ConsoleFixture.ClinicianKey).SendAsync(ackRequest)).StatusCode);
        await f.Audit.FlushAsync();
        f.App.Services.GetRequiredService<TracerProvider>().ForceFlush();

        List<Activity> done;
        lock (spans) done = [.. spans];
        var names = done.Select(s => s.DisplayName).ToHashSet();
        Assert.Contains("GET /api/patients/{id}/heart-rate", names);
        Assert.Contains("GET /api/patients/{id}", names);
        Assert.Contains("GET /fhir/Observation", names);
        Assert.Contains("POST /api/alerts/{id}/ack", names);
        Assert.Contains("alert.acknowledge", names);
        Assert.Contains("store.write", names);
        Assert.Contains("live.fanout", names);
        var request = done.First(s => s.DisplayName == "GET /api/patients/{id}/heart-rate");
        Assert.Equal("/api/patients/{id}/heart-rate", request.GetTagItem("url.path"));
        Assert.Equal("GET", request.GetTagItem("http.request.method"));
        Assert.Equal(200, Convert.ToInt32(request.GetTagItem("http.response.status_code"), System.Globalization.CultureInfo.InvariantCulture));
        var ack = done.Single(s => s.DisplayName == "alert.acknowledge" && s.TraceId == trace);
        Assert.Equal(done.Single(s => s.DisplayName == "POST /api/alerts/{id}/ack" && s.TraceId == trace).SpanId, ack.ParentSpanId);
        Assert.Equal("tachycardia", ack.GetTagItem("vigil.alert.kind"));
        // No span names, tags, events or baggage carry the patient's identifier.
        foreach (var s in done)
        {
            Assert.DoesNotContain("zz-4711", s.DisplayName, StringComparison.Ordinal);
            foreach (var (key, value) in s.TagObjects) Assert.DoesNotContain("zz-4711", Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "", StringComparison.Ordinal);
            foreach (var e in s.Events) Assert.DoesNotContain("zz-4711", e.Name, StringComparison.Ordinal);
        }
        Assert.DoesNotContain(done, s => s.DisplayName.Contains("access_key", StringComparison.Ordinal));
    }
}
