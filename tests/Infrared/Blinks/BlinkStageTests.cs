using Akka.Streams;
using Akka.Streams.Dsl;
using Vigil.Infrared.Blinks;
using Vigil.Tests.Common;
using Xunit;

namespace Vigil.Infrared.Tests.Blinks;

public sealed class BlinkStageTests : Akka.TestKit.Xunit2.TestKit
{
    public BlinkStageTests() : base(AkkaTestConfig.Quiet) { }

    [Fact]
    public async Task Stage_EngineeredFrames_EmitsTheDetectorsBlinks()
    {
        var blinks = EngineeredEye.Regular(60, 5000, 400);
        var frames = EngineeredEye.Generate(60, blinks, seed: 11);

        var emitted = await Source.From(frames).Via(new BlinkStage(source: "bed 1")).RunWith(Sink.Seq<BlinkEvent>(), Sys.Materializer());

        Assert.Equal(BlinkDetector.Detect(frames), emitted);
        Assert.Equal(blinks.Count, BlinkMatching.Count(emitted, blinks.Select(b => new BlinkEvent(b.Start, b.End)).ToList()).TruePositives);
    }

    [Fact]
    public async Task Stage_NaNFrame_FailsNamingTheSource()
    {
        var frames = EngineeredEye.Generate(5, [], seed: 3);
        frames[20].Celsius[0] = float.NaN;

        var e = await Assert.ThrowsAsync<InvalidDataException>(() =>
            Source.From(frames).Via(new BlinkStage(source: "bed 9 eye")).RunWith(Sink.Seq<BlinkEvent>(), Sys.Materializer()));
        Assert.Contains("bed 9 eye", e.Message);
    }

    [Fact]
    public async Task Stage_SlowDownstream_LosesNothing()
    {
        var blinks = EngineeredEye.Regular(60, 4000, 300);
        var frames = EngineeredEye.Generate(60, blinks, seed: 12);

        var emitted = await Source.From(frames).Via(new BlinkStage()).Buffer(1, OverflowStrategy.Backpressure)
            .SelectAsync(1, async b => { await Task.Yield(); return b; })
            .RunWith(Sink.Seq<BlinkEvent>(), Sys.Materializer());

        Assert.Equal(BlinkDetector.Detect(frames).Count, emitted.Count);
    }
}
