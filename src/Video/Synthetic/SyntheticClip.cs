using Vigil.Video.Segments;

namespace Vigil.Video.Synthetic;

/// <summary>A generated clip: its file, frame rate, frame count and exact ground-truth segments.</summary>
/// <param name="Name">File name without folder (e.g. <c>clip-0007.avi</c>).</param>
/// <param name="Path">Where the video was written.</param>
/// <param name="FramesPerSecond">The clip's frame rate.</param>
/// <param name="Frames">Number of frames.</param>
/// <param name="Segments">Ground truth, every action's start and end.</param>
public sealed record SyntheticClip(string Name, string Path, double FramesPerSecond, int Frames, IReadOnlyList<ActionSegment> Segments)
{
    /// <summary>The labels active at frame <paramref name="frame"/> (its mid-time inside a segment).</summary>
    public bool[] FrameLabels(int frame, IReadOnlyList<string> labels)
    {
        var t = (frame + 0.5) / FramesPerSecond;
        return labels.Select(l => Segments.Any(s => s.Label == l && s.Contains(t))).ToArray();
    }
}
