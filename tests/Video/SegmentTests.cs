using Vigil.Video.Segments;

namespace Vigil.Video.Tests;

public sealed class SegmentTests
{
    private static readonly string[] Labels = ["walk", "wave"];

    [Fact]
    public void Segment_ScoreHoveringBetweenThresholds_StaysOneSegment()
    {
        float[] walk = [0.1f, 0.7f, 0.5f, 0.45f, 0.55f, 0.8f, 0.3f, 0.1f];
        var scores = walk.Select(p => new[] { p, 0f }).ToArray();
        var segments = new HysteresisSegmenter(0.6, 0.4, 2).Segment(scores, Labels, 2);
        var s = Assert.Single(segments);
        Assert.Equal("walk", s.Label);
        Assert.Equal(0.5, s.StartSeconds);
        Assert.Equal(3.0, s.EndSeconds);
        Assert.Equal((0.7 + 0.5 + 0.45 + 0.55 + 0.8) / 5, s.Confidence, 5);
    }

    [Fact]
    public void Segment_ShortBlip_IsDropped_AndOpenSegmentClosesAtTheEnd()
    {
        float[] wave = [0.9f, 0.1f, 0.1f, 0.9f, 0.9f, 0.9f];
        var scores = wave.Select(p => new[] { 0f, p }).ToArray();
        var segments = new HysteresisSegmenter(0.6, 0.4, 2).Segment(scores, Labels, 1);
        var s = Assert.Single(segments);
        Assert.Equal((3.0, 6.0), (s.StartSeconds, s.EndSeconds));
    }

    [Fact]
    public void Match_IoUThreshold_CountsOnlyOverlapsAboveIt()
    {
        ActionSegment[] truth = [new("walk", 0, 4), new("wave", 2, 6)];
        ActionSegment[] predicted = [new("walk", 1, 4), new("wave", 5, 9), new("walk", 0, 4)];
        var (tp, p, a) = SegmentMetrics.Match(predicted, truth, 0.5);
        Assert.Equal((1, 3, 2), (tp, p, a));
        Assert.Equal(2.0 / 5, SegmentMetrics.F1(tp, p, a), 6);
    }

    [Fact]
    public void FrameAccuracy_NeedsEveryLabelRight()
    {
        float[][] scores = [[0.9f, 0.1f], [0.9f, 0.9f], [0.1f, 0.1f], [0.6f, 0.2f]];
        bool[][] truth = [[true, false], [true, false], [false, false], [true, false]];
        Assert.Equal(0.75, SegmentMetrics.FrameAccuracy(scores, truth));
    }

    [Fact]
    public void WindowScorer_OverlappingWindows_AverageAndCoverTheEnd()
    {
        var adapter = new IndexAdapter();
        var features = Enumerable.Range(0, 7).Select(i => new float[] { i }).ToArray();
        var scores = WindowScorer.Score(adapter, features, stride: 2);
        // Windows of 4 at 0, 2 and the last at 3: each frame's score is its mean position in the windows covering it.
        Assert.Equal(0f, scores[0][0]);
        Assert.Equal((2f + 0f) / 2, scores[2][0]);
        Assert.Equal((3f + 1f + 0f) / 3, scores[3][0]);
        Assert.Equal(3f, scores[6][0]);
    }

    // Scores each frame with its position in the window, so the averaging is visible.
    private sealed class IndexAdapter : IActionAdapter
    {
        public IReadOnlyList<string> Labels { get; } = ["x"];
        public int WindowFrames => 4;
        public int FeatureDimension => 1;
        public Motion.MotionFeature Motion => Video.Motion.MotionFeature.AmFlow;
        public float[][] Score(IReadOnlyList<float[]> window) => window.Select((_, i) => new float[] { i }).ToArray();
    }
}
