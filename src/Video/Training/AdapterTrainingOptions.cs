using Vigil.Video.Motion;

namespace Vigil.Video.Training;

/// <summary>Options of <see cref="AdapterTrainer"/>; defaults suit the generated clips (8 fps, 2-s windows).</summary>
public sealed class AdapterTrainingOptions
{
    /// <summary>The temporal unit.</summary>
    public AdapterKind Kind { get; init; } = AdapterKind.Transformer;

    /// <summary>
    /// The motion signal the features hold (recorded in the adapter config; the mirror augmentation
    /// negates the optical flow's horizontal component).
    /// </summary>
    public MotionFeature Motion { get; init; } = MotionFeature.AmFlow;

    /// <summary>
    /// Whether the features end with the backbone's pooled hidden state (recorded in the adapter
    /// config; the mirror augmentation leaves that position-free block unchanged).
    /// </summary>
    public HiddenStates HiddenStates { get; init; } = HiddenStates.None;

    /// <summary>Frames per training window.</summary>
    public int WindowFrames { get; init; } = 16;

    /// <summary>Frames between training windows (and scoring windows).</summary>
    public int Stride { get; init; } = 4;

    /// <summary>Adapter width.</summary>
    public int Hidden { get; init; } = 64;

    /// <summary>Sampling rate of the frames (frames per second).</summary>
    public double FramesPerSecond { get; init; } = 8;

    /// <summary>Training epochs.</summary>
    public int Epochs { get; init; } = 30;

    /// <summary>Seed of the initialisation and the example order.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Adam's learning rate (cosine schedule).</summary>
    public double LearningRate { get; init; } = 2e-3;

    /// <summary>
    /// Mirror augmentation: when positive, every training window is also added left-right mirrored,
    /// the features read as consecutive row-major grids of this many columns (16 for VitTrack's
    /// patch grid) laid out for <see cref="Motion"/> (<see cref="MotionFeatures.Mirror(ReadOnlySpan{float}, MotionFeature, int, int, int)"/>:
    /// columns reversed, horizontal optical flow negated); actions look the same mirrored. 0 turns it off.
    /// </summary>
    public int MirrorGridColumns { get; init; } = 16;

    /// <summary>Cells per grid block for the mirror (256 for a 16×16 patch grid).</summary>
    public int MirrorGridCells { get; init; } = 256;

    /// <summary>AdamW weight decay.</summary>
    public double WeightDecay { get; init; } = 0.05;

    /// <summary>Labels to learn, in output order.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];
}
