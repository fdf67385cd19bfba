namespace Vigil.Video.Motion;

/// <summary>
/// The per-frame feature layout for each <see cref="MotionFeature"/>: consecutive row-major blocks of
/// one value per patch — AM flow − 1 (<c>am-flow</c>), then the optical flow's horizontal and
/// vertical components in patches per frame (<c>optical-flow</c>), then the heat map × patches
/// (always last). <c>am-flow</c>: 2 blocks, <c>optical-flow</c>: 3, <c>both</c>: 4.
/// </summary>
public static class MotionFeatures
{
    /// <summary>The command-line and config name of <paramref name="motion"/>.</summary>
    public static string Name(MotionFeature motion) => motion switch
    {
        MotionFeature.AmFlow => "am-flow",
        MotionFeature.OpticalFlow => "optical-flow",
        MotionFeature.Both => "both",
        _ => throw new ArgumentOutOfRangeException(nameof(motion), motion, "unknown motion feature"),
    };

    /// <summary>The motion feature named <paramref name="name"/>, or null when it names none.</summary>
    public static MotionFeature? Parse(string name) => name switch
    {
        "am-flow" => MotionFeature.AmFlow,
        "optical-flow" => MotionFeature.OpticalFlow,
        "both" => MotionFeature.Both,
        _ => null,
    };

    /// <summary>Whether the features hold AM flow (block 0).</summary>
    public static bool HasAmFlow(MotionFeature motion) => motion is MotionFeature.AmFlow or MotionFeature.Both;

    /// <summary>Whether the features hold the heat maps' optical flow.</summary>
    public static bool HasOpticalFlow(MotionFeature motion) => motion is MotionFeature.OpticalFlow or MotionFeature.Both;

    /// <summary>Blocks of one value per patch: 2, 3 or 4.</summary>
    public static int Blocks(MotionFeature motion) => 1 + (HasAmFlow(motion) ? 1 : 0) + (HasOpticalFlow(motion) ? 2 : 0);

    /// <summary>Values per frame on <paramref name="grid"/>.</summary>
    public static int Dimension(MotionFeature motion, PatchGrid grid) => Blocks(motion) * grid.Patches;

    /// <summary>The block holding the optical flow's horizontal component, or -1 without optical flow.</summary>
    public static int HorizontalFlowBlock(MotionFeature motion) => HasOpticalFlow(motion) ? (HasAmFlow(motion) ? 1 : 0) : -1;

    /// <summary>The block holding the heat map (the last).</summary>
    public static int HeatBlock(MotionFeature motion) => Blocks(motion) - 1;

    /// <summary>What a frame's values are, in order (for cards and docs).</summary>
    public static string Describe(MotionFeature motion) => "per frame, one value per patch in row-major blocks: " + motion switch
    {
        MotionFeature.AmFlow => "AM flow (minus 1), then the heat map (times patches)",
        MotionFeature.OpticalFlow => "the heat maps' optical flow dx, then dy (patches per frame, Farnebäck), then the heat map (times patches)",
        _ => "AM flow (minus 1), the heat maps' optical flow dx, then dy (patches per frame, Farnebäck), then the heat map (times patches)",
    };

    /// <summary>
    /// A frame's features as they would be for the left-right mirrored video: every block's columns
    /// reversed, and the optical flow's horizontal component negated (motion to the right becomes
    /// motion to the left). AM flow and heat are per-patch magnitudes and only move. The
    /// <paramref name="trailing"/> values after the per-patch blocks (the pooled hidden state,
    /// <see cref="HiddenStateFeatures"/>) hold no positions and are copied unchanged.
    /// </summary>
    /// <exception cref="ArgumentException">The frame does not hold <see cref="Blocks"/> × rows × columns + <paramref name="trailing"/> values.</exception>
    public static void Mirror(ReadOnlySpan<float> frame, MotionFeature motion, int rows, int columns, Span<float> mirrored, int trailing = 0)
    {
        var cells = rows * columns;
        var blocks = Blocks(motion);
        if (trailing < 0 || frame.Length != blocks * cells + trailing || mirrored.Length != frame.Length)
            throw new ArgumentException($"{Name(motion)} features on a {rows}x{columns} grid{(trailing > 0 ? $" with {trailing} pooled values" : "")} hold {blocks * cells + trailing} values, got {frame.Length} (into {mirrored.Length})");
        frame[(blocks * cells)..].CopyTo(mirrored[(blocks * cells)..]);
        var negated = HorizontalFlowBlock(motion);
        for (var b = 0; b < blocks; b++)
        {
            var sign = b == negated ? -1f : 1f;
            for (var r = 0; r < rows; r++)
                for (var c = 0; c < columns; c++)
                    mirrored[b * cells + r * columns + c] = sign * frame[b * cells + r * columns + (columns - 1 - c)];
        }
    }

    /// <summary>The mirrored frame as a new array (<see cref="Mirror(ReadOnlySpan{float}, MotionFeature, int, int, Span{float}, int)"/>).</summary>
    public static float[] Mirror(ReadOnlySpan<float> frame, MotionFeature motion, int rows, int columns, int trailing = 0)
    {
        var mirrored = new float[frame.Length];
        Mirror(frame, motion, rows, columns, mirrored, trailing);
        return mirrored;
    }
}
