using Akka.Streams;
using Vigil.Tests.Common;
using Vigil.Video.Backbone;
using Vigil.Video.Sources;
using Vigil.Video.Synthetic;
using Xunit.Abstractions;

namespace Vigil.Video.Tests;

public sealed class ClipGeneratorTests(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(AkkaTestConfig.Quiet)
{
    [Fact]
    public void Write_SameSeed_SameGroundTruthAndFrames()
    {
        var dir = Temp();
        try
        {
            var a = new ClipGenerator().Write(Path.Combine(dir, "a"), 3);
            var b = new ClipGenerator().Write(Path.Combine(dir, "b"), 3);
            Assert.Equal(a.Segments, b.Segments);
            Assert.Equal(a.Frames, b.Frames);
            Assert.Equal(File.ReadAllBytes(a.Path), File.ReadAllBytes(b.Path));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Write_GroundTruth_CoversTheScriptAndTheVideoHasEveryFrame()
    {
        var dir = Temp();
        try
        {
            var clip = new ClipGenerator().Write(dir, 11);
            Assert.NotEmpty(clip.Segments);
            Assert.All(clip.Segments, s => Assert.InRange(s.EndSeconds, s.StartSeconds + 1 / clip.FramesPerSecond, clip.Frames / clip.FramesPerSecond + 1e-9));
            using var video = Imaging.Video.VideoSource.OpenFile(clip.Path);
            Assert.Equal(clip.Frames, video.Frames().Count(f => { f.Dispose(); return true; }));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public async Task Features_VitTrackOnAClip_OnePerFrameAndMotionShowsInAmFlow()
    {
        var dir = Temp();
        try
        {
            var clip = new ClipGenerator().Write(dir, 5);
            using var backbone = VitBackbone.Load(SharedData.Require("assets/models/vittrack_2023sep.onnx"), BackboneSpec.VitTrack, Path.Combine(dir, "cache"));
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var features = await VideoFlows.ExtractAsync(clip.Path, 0, backbone, Sys.Materializer());
            output.WriteLine($"{features.Count} frames in {watch.ElapsedMilliseconds} ms");
            Assert.Equal(clip.Frames, features.Count);
            Assert.All(features[0].Values.Take(256), v => Assert.Equal(0f, v));
            // Frames where the figure moves have more AM-flow energy than frames where nothing moves.
            double Energy(FrameFeatures f) => f.Values.Take(256).Sum(v => Math.Abs(v));
            var moving = features.Where((f, i) => i > 0 && clip.FrameLabels(i, ActionLabels.All).Any(x => x)).Average(Energy);
            var idle = features.Where((f, i) => i > 0 && !clip.FrameLabels(i, ActionLabels.All).Any(x => x) && !clip.FrameLabels(i - 1, ActionLabels.All).Any(x => x)).Select(Energy).DefaultIfEmpty(0).Average();
            output.WriteLine($"moving {moving:E3} idle {idle:E3}");
            Assert.True(moving > 2 * idle, $"moving {moving} idle {idle}");
        }
        finally { Directory.Delete(dir, true); }
    }

    private static string Temp() => Path.Combine(Path.GetTempPath(), "vigil-video-" + Guid.NewGuid().ToString("N"));
}
