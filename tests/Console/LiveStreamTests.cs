using System.Text.Json;
using Vigil.Ppg;
using Vigil.Ppg.Demo;
using Vigil.WardConsole.Live;
using Vigil.WardConsole.Telemetry;

namespace Vigil.WardConsole.Tests;

public sealed class LiveStreamTests
{
    [Fact]
    public async Task The_event_stream_delivers_every_heart_rate_the_real_PPG_graph_produces()
    {
        await using var f = await ConsoleFixture.StartAsync();
        using var client = f.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/stream?patient=bed-05&access_key={ConsoleFixture.ViewerKey}");
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal(": connected", await reader.ReadLineAsync());

        // 20 s of generated wrist signal through the real graph, posted as 1 s batches: windows close at 8, 10, ..., 20 s.
        var rec = SyntheticPpg.Generate(seconds: 20, sampleRateHz: 64, seed: 5).Recording;
        for (var s = 0; s < 20; s++) await f.Feed.PostAsync(rec.Slice("bed-05", s * 64, 64));
        // Another patient's results are not sent to this client.
        for (var s = 0; s < 10; s++) await f.Feed.PostAsync(rec.Slice("bed-06", s * 64, 64));

        var windows = new List<long>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        string? type = null;
        while (windows.Count < 7)
        {
            var line = await reader.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("stream ended");
            if (line.StartsWith("event: ", StringComparison.Ordinal)) type = line[7..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && type == "hr")
            {
                var e = JsonDocument.Parse(line[6..]).RootElement;
                Assert.Equal("bed-05", e.GetProperty("patientId").GetString());
                windows.Add(e.GetProperty("windowIndex").GetInt64());
            }
        }
        Assert.Equal(Enumerable.Range(0, 7).Select(i => (long)i), windows);
        Assert.Equal(7, f.Ward.History("bed-05").Count);
    }

    [Fact]
    public void A_slow_client_drops_and_is_counted_while_a_client_that_keeps_up_gets_everything()
    {
        using var metrics = new ConsoleMetrics();
        var hub = new LiveHub(clientBuffer: 16, metrics);
        using var slow = hub.Connect(null);
        using var fast = hub.Connect(null);
        var received = new List<long>();
        for (var i = 0; i < 1000; i++)
        {
            hub.Publish("hr", ConsoleFixture.Result("bed-01", i, 80));
            while (fast.Events.TryRead(out var e)) received.Add(e.Sequence);
        }
        Assert.Equal(Enumerable.Range(1, 1000).Select(i => (long)i), received);
        Assert.Equal(0, fast.Dropped);
        Assert.Equal(1000 - 16, slow.Dropped);
        // What the slow client still holds is the oldest events, in order: it sees a gap after them.
        var kept = new List<long>();
        while (slow.Events.TryRead(out var e)) kept.Add(e.Sequence);
        Assert.Equal(Enumerable.Range(1, 16).Select(i => (long)i), kept);
    }

    [Fact]
    public async Task A_client_that_stops_reading_does_not_hold_up_the_graph_or_other_clients()
    {
        await using var f = await ConsoleFixture.StartAsync(o => o.LiveClientBuffer = 4);
        var hub = (LiveHub)f.App.Services.GetService(typeof(LiveHub))!;
        using var stalled = hub.Connect(null); // never read
        using var client = f.Client();
        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/stream?access_key={ConsoleFixture.ViewerKey}"), HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal(": connected", await reader.ReadLineAsync());

        // One window at a time (8 s, then 2 s per window), reading each from the HTTP client before the next:
        // that client keeps up, the stalled one fills its 4 slots and then loses every further event.
        var rec = SyntheticPpg.Generate(seconds: 30, sampleRateHz: 64, seed: 2).Recording;
        var graph = await f.Feed.Graph;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var windows = new List<long>();
        var posted = 0;
        while (posted < 30)
        {
            var upTo = posted == 0 ? 8 : posted + 2;
            for (; posted < upTo; posted++) await f.Feed.PostAsync(rec.Slice("bed-09", posted * 64, 64));
            string? type = null;
            while (true)
            {
                var line = await reader.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("stream ended");
                if (line.StartsWith("event: ", StringComparison.Ordinal)) type = line[7..];
                else if (line.StartsWith("data: ", StringComparison.Ordinal) && type == "hr")
                {
                    windows.Add(JsonDocument.Parse(line[6..]).RootElement.GetProperty("windowIndex").GetInt64());
                    break;
                }
            }
        }
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (long)i), windows);
        Assert.Equal(12, f.Ward.History("bed-09").Count);     // the graph produced every window
        Assert.Equal(12 - 4, stalled.Dropped);                 // the stalled client lost all but its buffer
        Assert.True(graph.ResultsEmitted >= 12);
    }
}
