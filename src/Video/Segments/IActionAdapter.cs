using Vigil.Video.Motion;

namespace Vigil.Video.Segments;

/// <summary>
/// A trained temporal adapter: a window of per-frame features in, per-frame label probabilities
/// out (multi-label, each in [0,1]). Implementations: Vigil.Video.Training's TorchSharp adapters.
/// </summary>
public interface IActionAdapter
{
    /// <summary>The labels, in output order.</summary>
    IReadOnlyList<string> Labels { get; }

    /// <summary>Frames per window the adapter was trained on.</summary>
    int WindowFrames { get; }

    /// <summary>Values per frame.</summary>
    int FeatureDimension { get; }

    /// <summary>The motion signal in the features the adapter was trained on (what inference must compute).</summary>
    MotionFeature Motion { get; }

    /// <summary>Whether the features end with the backbone's pooled hidden state (<see cref="HiddenStateFeatures"/>); none unless the adapter says so.</summary>
    HiddenStates HiddenStates => HiddenStates.None;

    /// <summary>Probabilities [frames, labels] for a window of [frames, features] (frames ≤ <see cref="WindowFrames"/>).</summary>
    float[][] Score(IReadOnlyList<float[]> window);
}
