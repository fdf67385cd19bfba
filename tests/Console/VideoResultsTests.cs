using System.Net;
using System.Text.Json;
using Vigil.WardConsole.Tests.Fixtures;
using Task = System.Threading.Tasks.Task;

namespace Vigil.WardConsole.Tests;

/// <summary>Video result folders (as <c>vigil video run</c> writes them) served as timelines with heat maps.</summary>
public sealed class VideoResultsTests
{
    [Fact]
    public async Task Runs_list_segments_with_heat_maps_and_a_malformed_run_says_what_is_wrong()
    {
        var root = Path.Combine(Path.GetTempPath(), "vigil-console-video-" + Guid.NewGuid().ToString("N"));
        try
        {
            var segments = ModalityInputs.WriteVideoRun(root, "ward3-cam1");
            Directory.CreateDirectory(Path.Combine(root, "broken"));
            File.WriteAllText(Path.Combine(root, "broken", "segments.csv"), "label,start_s,end_s,confidence\nwalk,5,2,0.9\n");
            await using var f = await ConsoleFixture.StartAsync(o => o.VideoResults = root);
            var client = f.Client(ConsoleFixture.ViewerKey);

            var runs = JsonDocument.Parse(await client.GetStringAsync("/api/video")).RootElement;
            Assert.Equal(2, runs.GetArrayLength());
            var broken = runs[0];
            Assert.Equal("broken", broken.GetProperty("id").GetString());
            Assert.Contains("segments.csv line 2", broken.GetProperty("error").GetString());
            var run = JsonDocument.Parse(await client.GetStringAsync("/api/video/ward3-cam1")).RootElement;
            Assert.Equal("ward3-cam1.avi", run.GetProperty("input").GetString());
            Assert.Contains("video-actions 1 (sha256 ", run.GetProperty("adapter").GetString());
            Assert.True(run.GetProperty("notForClinicalUse").GetBoolean());
            var served = run.GetProperty("segments").EnumerateArray().ToArray();
            Assert.Equal(segments.Select(s => (s.Label, s.StartSeconds, s.EndSeconds)), served.Select(s => (s.GetProperty("label").GetString()!, s.GetProperty("start").GetDouble(), s.GetProperty("end").GetDouble())));
            Assert.Equal("segment-02-wave.png", served[1].GetProperty("heatMap").GetString());

            var image = await client.GetAsync("/api/video/ward3-cam1/images/segment-02-wave.png");
            Assert.Equal(HttpStatusCode.OK, image.StatusCode);
            Assert.Equal("image/png", image.Content.Headers.ContentType!.MediaType);
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(root, "ward3-cam1", "segment-02-wave.png")), await image.Content.ReadAsByteArrayAsync());
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/video/ward3-cam1/images/events.json")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/video/ward3-cam1/images/..%2F..%2Fsecret.png")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/video/..%2Fetc/images/heatmap.png")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/video/none")).StatusCode);
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, true);
        }
    }
}
