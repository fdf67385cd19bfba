namespace Vigil.Video.Segments;

/// <summary>Scores of an adapter on labelled clips: frame accuracy and segment F1 at IoU 0.5, summed over the clips.</summary>
/// <param name="Clips">Clips evaluated.</param>
/// <param name="Frames">Frames evaluated.</param>
/// <param name="FrameAccuracy">Fraction of frames whose whole label set is right, from the adapter's per-frame probabilities (≥ 0.5).</param>
/// <param name="SegmentFrameAccuracy">The same from the reported segments (a frame carries the labels of the segments covering its mid-time).</param>
/// <param name="SegmentF1">F1 of segments matched at IoU ≥ 0.5.</param>
/// <param name="TruePositives">Matched segments.</param>
/// <param name="Predicted">Predicted segments.</param>
/// <param name="Actual">True segments.</param>
public sealed record ClipEvaluation(int Clips, int Frames, double FrameAccuracy, double SegmentFrameAccuracy, double SegmentF1, int TruePositives, int Predicted, int Actual)
{
    /// <summary>Evaluates <paramref name="adapter"/> on clips given as (features, truth segments).</summary>
    public static ClipEvaluation Evaluate(IActionAdapter adapter, IReadOnlyList<(float[][] Features, IReadOnlyList<ActionSegment> Truth)> clips,
        double framesPerSecond, HysteresisSegmenter segmenter, int stride)
    {
        int frames = 0, correctFrames = 0, correctSegmentFrames = 0, tp = 0, predicted = 0, actual = 0;
        foreach (var (features, truth) in clips)
        {
            var scores = WindowScorer.Score(adapter, features, stride);
            var frameTruth = SegmentCsv.FrameTruth(truth, adapter.Labels, features.Length, framesPerSecond);
            correctFrames += (int)Math.Round(SegmentMetrics.FrameAccuracy(scores, frameTruth) * features.Length);
            frames += features.Length;
            var segments = segmenter.Segment(scores, adapter.Labels, framesPerSecond);
            var fromSegments = SegmentCsv.FrameTruth(segments, adapter.Labels, features.Length, framesPerSecond)
                .Select(row => row.Select(b => b ? 1f : 0f).ToArray()).ToArray();
            correctSegmentFrames += (int)Math.Round(SegmentMetrics.FrameAccuracy(fromSegments, frameTruth) * features.Length);
            var (t, p, a) = SegmentMetrics.Match(segments, truth.Where(s => adapter.Labels.Contains(s.Label)).ToList());
            tp += t;
            predicted += p;
            actual += a;
        }
        return new ClipEvaluation(clips.Count, frames, frames == 0 ? double.NaN : correctFrames / (double)frames, frames == 0 ? double.NaN : correctSegmentFrames / (double)frames, SegmentMetrics.F1(tp, predicted, actual), tp, predicted, actual);
    }
}
