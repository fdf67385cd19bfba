using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;
using Vigil.Ppg.Demo;
using Vigil.WardConsole.Security;

namespace Vigil.WardConsole.Tests;

public sealed class LoggingAndMetricsTests
{
    [Fact]
    public async Task Ordinary_logs_carry_no_patient_identifiers_and_metrics_count_stages()
    {
        var lines = new ConcurrentQueue<string>();
        var dir = Path.Combine(Path.GetTempPath(), "vigil-console-logs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var app = ConsoleApp.Create(o =>
        {
            o.AuditDatabase = Path.Combine(dir, "audit.db");
            o.ApiKeys = [new ApiKeyEntry { Name = "n", Role = WardRole.Admin, Sha256 = ApiKeyStore.Hash("k") }];
        }, b =>
        {
            b.WebHost.UseTestServer();
            b.Logging.ClearProviders().SetMinimumLevel(LogLevel.Trace).AddProvider(new CollectingProvider(lines));
        });
        await app.StartAsync();
        try
        {
            var feed = (Ward.WardFeed)app.Services.GetService(typeof(Ward.WardFeed))!;
            var ward = (Ward.WardState)app.Services.GetService(typeof(Ward.WardState))!;
            var rec = SyntheticPpg.Generate(seconds: 10, sampleRateHz: 64, seed: 3).Recording;
            for (var s = 0; s < 10; s++) await feed.PostAsync(rec.Slice("patient-zz-4711", s * 64, 64));
            var client = app.GetTestClient();
            client.DefaultRequestHeaders.Add("X-Api-Key", "k");
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (ward.History("patient-zz-4711").Count < 2) await Task.Delay(50, timeout.Token);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/patients/patient-zz-4711/heart-rate")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/fhir/Observation?patient=patient-zz-4711")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/patients/patient-zz-4711x")).StatusCode);

            var metrics = await client.GetStringAsync("/metrics");
            Assert.Contains("vigil_stage_items", metrics);
            Assert.Contains("stage=\"ppg.result\"", metrics);
            Assert.Contains("vigil_api_duration", metrics);
            Assert.DoesNotContain("patient-zz-4711", metrics);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
        Assert.NotEmpty(lines); // the provider saw the host's own lines
        Assert.DoesNotContain(lines, l => l.Contains("patient-zz-4711", StringComparison.Ordinal));
    }

    private sealed class CollectingProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Collecting(lines, categoryName);
        public void Dispose() { }
    }

    private sealed class Collecting(ConcurrentQueue<string> lines, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{category}: {formatter(state, exception)} {exception}");
    }
}
