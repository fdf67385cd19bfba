using Vigil.Infrared.Blinks;
using Xunit;

namespace Vigil.Infrared.Tests.Blinks;

public sealed class BlinkDetectorTests
{
    [Theory]
    [InlineData(250, 1)]   // normal blink
    [InlineData(600, 2)]   // mild
    [InlineData(1500, 3)]  // severe, long closure
    [InlineData(2500, 4)]  // slow
    public void Detect_EngineeredBlinks_FindsEachWithinTolerance(double durationMs, int seed)
    {
        var blinks = EngineeredEye.Regular(90, 6000, durationMs);
        var frames = EngineeredEye.Generate(90, blinks, seed);

        var found = BlinkDetector.Detect(frames);

        var counts = BlinkMatching.Count(found, blinks.Select(b => new BlinkEvent(b.Start, b.End)).ToList());
        Assert.Equal(blinks.Count, counts.TruePositives);
        Assert.Equal(0, counts.FalsePositives);
        foreach (var b in blinks)
            Assert.Contains(found, f => Math.Abs(f.StartMs - b.Start) <= 300);
    }

    [Fact]
    public void Detect_NoBlinks_ReportsNothing()
    {
        var frames = EngineeredEye.Generate(60, [], seed: 7);
        Assert.Empty(BlinkDetector.Detect(frames));
    }

    [Fact]
    public void Detect_HeadMovesAndStays_IsNotABlinkAndLaterBlinksStillFound()
    {
        var blinks = new List<(double, double)> { (10000, 10300), (30000, 30300) };
        var frames = EngineeredEye.Generate(45, blinks, seed: 5, stepAtMs: 18000);

        var found = BlinkDetector.Detect(frames);

        Assert.DoesNotContain(found, f => f.EndMs > 17000 && f.StartMs < 22000 && f.EndMs - f.StartMs > 3000);
        var counts = BlinkMatching.Count(found, blinks.Select(b => new BlinkEvent(b.Item1, b.Item2)).ToList());
        Assert.Equal(2, counts.TruePositives);
    }

    [Fact]
    public void Push_NonFiniteTemperature_ThrowsNamingTheSource()
    {
        var frames = EngineeredEye.Generate(2, [], seed: 2);
        frames[5].Celsius[17] = float.NaN;
        var detector = new BlinkDetector(source: "bed 4 eye camera");

        var e = Assert.Throws<InvalidDataException>(() => { foreach (var f in frames) detector.Push(f); });
        Assert.Contains("bed 4 eye camera", e.Message);
        Assert.Contains("non-finite", e.Message);
    }

    [Fact]
    public void Push_WrongFrameSize_Throws()
    {
        var detector = new BlinkDetector(source: "cam");
        var e = Assert.Throws<InvalidDataException>(() => detector.Push(new EyeFrame(0, new float[10], 16, 12)));
        Assert.Contains("cam", e.Message);
    }

    [Fact]
    public void Options_Invalid_Rejected()
    {
        Assert.Throws<ArgumentException>(() => new BlinkDetector(new BlinkDetectorOptions { Threshold = 0 }));
        Assert.Throws<ArgumentException>(() => new BlinkDetector(new BlinkDetectorOptions { ReleaseFraction = 1.5 }));
    }
}
