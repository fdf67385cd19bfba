using System.Net;

namespace Vigil.WardConsole.Tests;

public sealed class MetricsAccessTests
{
    [Fact]
    public async Task Metrics_are_open_on_loopback_and_need_a_key_when_the_console_listens_beyond_it()
    {
        await using (var loopback = await ConsoleFixture.StartAsync(o => o.BindAddress = "127.0.0.1"))
            Assert.Equal(HttpStatusCode.OK, (await loopback.Client().GetAsync("/metrics")).StatusCode);

        await using var open = await ConsoleFixture.StartAsync(o => o.BindAddress = "0.0.0.0");
        Assert.Equal(HttpStatusCode.Unauthorized, (await open.Client().GetAsync("/metrics")).StatusCode);
        var scrape = await open.Client(ConsoleFixture.ViewerKey).GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        var text = await scrape.Content.ReadAsStringAsync();
        Assert.Contains("vigil_queue_depth", text);
        Assert.Contains("queue=\"store.writes\"", text);
        Assert.Contains("queue=\"ppg.ingest\"", text);
        Assert.Contains(await open.Audit.ReadAsync(), e => e.Resource == "/metrics" && e.Actor == "ward-screen" && e.Status == 200);
        // Health probes stay open.
        Assert.Equal(HttpStatusCode.OK, (await open.Client().GetAsync("/health")).StatusCode);

        await using var configured = await ConsoleFixture.StartAsync(o => { o.BindAddress = "0.0.0.0"; o.MetricsRequireKey = false; });
        Assert.Equal(HttpStatusCode.OK, (await configured.Client().GetAsync("/metrics")).StatusCode);
    }
}
