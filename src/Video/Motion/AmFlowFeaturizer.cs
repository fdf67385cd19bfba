using Vigil.Video.Backbone;

namespace Vigil.Video.Motion;

/// <summary>
/// Turns a clip's frame attentions into <see cref="FrameFeatures"/> in order: keeps the previous
/// frame's attention map and computes AM flow from it to the current one. The first frame of a
/// clip has no predecessor and gets the static-scene flow (0 after centring). One instance per clip.
/// </summary>
public sealed class AmFlowFeaturizer(PatchGrid grid)
{
    // The previous frame's attention map, or null before the first frame.
    private float[]? _previous;
    private readonly float[] _flow = new float[grid.Tokens];

    /// <summary>Values per frame: AM flow and heat on the grid.</summary>
    public int Dimension => 2 * grid.Patches;

    /// <summary>The features of the next frame.</summary>
    public FrameFeatures Next(FrameAttention frame)
    {
        var patches = grid.Patches;
        var values = new float[2 * patches];
        if (_previous is not null)
        {
            AmFlow.Compute(_previous, frame.Attention, grid.Tokens, _flow);
            for (var k = 0; k < patches; k++) values[k] = _flow[grid.Offset + k] - 1f;
        }
        for (var k = 0; k < patches; k++) values[patches + k] = frame.Heat[k] * patches;
        _previous = frame.Attention;
        return new FrameFeatures(frame.Index, frame.Position, values, frame.Heat);
    }
}
