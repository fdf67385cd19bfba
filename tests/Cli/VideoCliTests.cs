using OpenCvSharp;
using Vigil.Tests.Common;
using Vigil.Video.Reporting;

namespace Vigil.Cli.Tests;

/// <summary>
/// <c>vigil video ...</c> through the real entry point: bad arguments are one line and exit 2;
/// a real clip gives segments.csv, FHIR observations and heat maps (PNG strips, MP4 overlay).
/// </summary>
public sealed class VideoCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-video-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task<string> ExpectError(params string[] args)
    {
        var error = new StringWriter();
        var rc = await Program.RunAsync(args, error).WaitAsync(TimeSpan.FromSeconds(120));
        var text = error.ToString();
        Assert.True(rc == 2, $"exit {rc}, expected 2; stderr: {text}");
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line, got {lines.Length}: {text}");
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.StartsWith("vigil video: ", lines[0]);
        return lines[0].TrimEnd();
    }

    [Fact]
    public async Task Run_MissingInput_OneLineNamingIt()
    {
        var missing = Path.Combine(_dir, "no-such.mp4");
        Assert.Equal($"vigil video: --input {missing}: no such file or folder", await ExpectError("video", "run", "--input", missing, "--out", Path.Combine(_dir, "out")));
    }

    [Fact]
    public async Task Run_FolderWithoutVideos_OneLine()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_dir, "empty")).FullName;
        File.WriteAllText(Path.Combine(empty, "notes.txt"), "x");
        Assert.Equal($"vigil video: --input {empty}: no video files in the folder", await ExpectError("video", "run", "--input", empty, "--out", Path.Combine(_dir, "out")));
    }

    [Theory]
    [InlineData("--overlay", "gif", "--overlay must be png or mp4, got 'gif'")]
    [InlineData("--fps", "0", "--fps must be a positive number, got 0")]
    public async Task Run_BadOption_OneLineNamingIt(string option, string value, string expected)
    {
        var line = await ExpectError("video", "run", "--input", _dir, "--out", Path.Combine(_dir, "out"), option, value);
        Assert.Equal($"vigil video: {expected}", line);
    }

    [Fact]
    public async Task Train_UnknownAdapter_OneLine()
    {
        var line = await ExpectError("video", "train", "--clips", _dir, "--adapter", "rnn", "--out", Path.Combine(_dir, "a.card.json"));
        Assert.Equal("vigil video: --adapter must be transformer, tcn or lstm, got 'rnn'", line);
    }

    [Fact]
    public async Task Train_UnknownMotion_OneLine()
    {
        var line = await ExpectError("video", "train", "--clips", _dir, "--adapter", "tcn", "--motion", "optic", "--out", Path.Combine(_dir, "a.card.json"));
        Assert.Equal("vigil video: --motion must be am-flow, optical-flow or both, got 'optic'", line);
    }

    [Fact]
    public async Task Train_UnknownHiddenStates_OneLine()
    {
        var line = await ExpectError("video", "train", "--clips", _dir, "--adapter", "tcn", "--hidden-states", "mean", "--out", Path.Combine(_dir, "a.card.json"));
        Assert.Equal("vigil video: --hidden-states must be none or pooled, got 'mean'", line);
    }

    [Fact]
    public async Task UnknownSubcommand_OneLine()
    {
        Assert.Equal("vigil video: unknown subcommand 'play' (generate, train, eval, run, bench)", await ExpectError("video", "play"));
    }

    [Fact]
    public async Task Run_CorruptBackbone_OneLineNamingTheFile()
    {
        var bad = Path.Combine(_dir, "backbone.onnx");
        File.WriteAllBytes(bad, [0x08, 0x01, 0xFF]);
        var clip = SharedData.Require("assets/video/actions/demo_skeleton.mp4");
        var line = await ExpectError("video", "run", "--input", clip, "--out", Path.Combine(_dir, "out"), "--backbone", bad);
        Assert.Contains("backbone.onnx", line);
    }

    [Fact]
    public async Task Run_RealClip_WritesSegmentsObservationsHeatStripsAndMp4Overlay()
    {
        var clip = SharedData.Require("assets/video/actions/fall-01-cam0.mp4");
        var output = Path.Combine(_dir, "fall");
        var error = new StringWriter();
        var rc = await Program.RunAsync(["video", "run", "--input", clip, "--out", output, "--overlay", "mp4"], error).WaitAsync(TimeSpan.FromMinutes(5));
        Assert.True(rc == 0, $"exit {rc}: {error}");

        var rows = File.ReadAllLines(Path.Combine(output, "segments.csv"));
        Assert.Equal("label,start_s,end_s,confidence", rows[0]);
        var bundle = FhirActionObservations.Parse(File.ReadAllText(Path.Combine(output, "observations.json")));
        Assert.Equal(rows.Length - 1, bundle.Entry.Count);
        for (var i = 1; i < rows.Length; i++)
        {
            var o = Assert.IsType<Hl7.Fhir.Model.Observation>(bundle.Entry[i - 1].Resource);
            Assert.Equal(rows[i].Split(',')[0], o.Code.Coding[0].Code);
            Assert.True(File.Exists(Path.Combine(output, $"segment-{i:D2}-{o.Code.Coding[0].Code}.png")));
        }

        // The strip: 8 tiles of 160 px height; the overlay: every sampled frame (8 fps over 5.3 s).
        using (var strip = Cv2.ImRead(Path.Combine(output, "heatmap.png")))
        {
            Assert.Equal(160, strip.Height);
            Assert.True(strip.Width > 8 * 160, $"strip width {strip.Width}");
        }
        Assert.True(File.Exists(Path.Combine(output, "amflow.png")));
        using var video = new VideoCapture(Path.Combine(output, "heatmap.mp4"));
        Assert.True(video.IsOpened());
        var frames = 0;
        using var frame = new Mat();
        while (video.Read(frame) && !frame.Empty()) frames++;
        Assert.InRange(frames, 40, 46);
    }

    [Fact]
    public void OutputName_TwoVideosWithOneName_GetTheirExtensionsSoNeitherOverwritesTheOther()
    {
        string[] inputs = ["/v/test.avi", "/v/test.mp4", "/v/fall.mp4"];
        Assert.Equal("test-avi", Commands.VideoRunCommand.OutputName(inputs[0], inputs));
        Assert.Equal("test-mp4", Commands.VideoRunCommand.OutputName(inputs[1], inputs));
        Assert.Equal("fall", Commands.VideoRunCommand.OutputName(inputs[2], inputs));
    }
}
