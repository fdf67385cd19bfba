using Vigil.Video.Backbone;

namespace Vigil.Video.Motion;

/// <summary>
/// Turns a clip's frame attentions into <see cref="FrameFeatures"/> in order, laid out as
/// <see cref="MotionFeatures"/> describes for the chosen <see cref="MotionFeature"/>: keeps the
/// previous frame's attention (and heat map) and computes AM flow and/or the heat maps' optical flow
/// from it to the current frame. The first frame of a clip has no predecessor and gets no motion
/// (0: the static-scene AM flow after centring, and zero optical flow). With a pooled hidden-state
/// block (<see cref="HiddenStateFeatures"/>) the frame's <see cref="FrameAttention.Hidden"/> is
/// appended after the heat map. One instance per clip.
/// </summary>
public sealed class MotionFeaturizer
{
    private readonly PatchGrid _grid;
    private readonly MotionFeature _motion;
    // The previous frame, or null before the first frame.
    private FrameAttention? _previous;
    // AM flow over all tokens (scratch, reused per frame).
    private readonly float[] _flow;

    /// <summary>
    /// A featurizer on <paramref name="grid"/> computing <paramref name="motion"/>, then appending
    /// <paramref name="hiddenValues"/> pooled hidden-state values per frame (0: none).
    /// </summary>
    public MotionFeaturizer(PatchGrid grid, MotionFeature motion = MotionFeature.AmFlow, int hiddenValues = 0)
    {
        _grid = grid;
        _motion = motion;
        _hiddenValues = hiddenValues;
        _flow = MotionFeatures.HasAmFlow(motion) ? new float[grid.Tokens] : [];
        Dimension = MotionFeatures.Dimension(motion, grid) + hiddenValues;
    }

    private readonly int _hiddenValues;

    /// <summary>Values per frame: blocks × patches (+ the pooled hidden values).</summary>
    public int Dimension { get; }

    /// <summary>The features of the next frame.</summary>
    public FrameFeatures Next(FrameAttention frame)
    {
        var patches = _grid.Patches;
        var values = new float[Dimension];
        var block = 0;
        if (MotionFeatures.HasAmFlow(_motion))
        {
            if (_previous is not null)
            {
                AmFlow.Compute(_previous.Attention, frame.Attention, _grid.Tokens, _flow);
                for (var k = 0; k < patches; k++) values[k] = _flow[_grid.Offset + k] - 1f;
            }
            block++;
        }
        if (MotionFeatures.HasOpticalFlow(_motion))
        {
            if (_previous is not null)
                AttentionOpticalFlow.Farneback(_previous.Heat, frame.Heat, _grid.Rows, _grid.Columns,
                    values.AsSpan(block * patches, patches), values.AsSpan((block + 1) * patches, patches));
            block += 2;
        }
        for (var k = 0; k < patches; k++) values[block * patches + k] = frame.Heat[k] * patches;
        if (_hiddenValues > 0)
        {
            if (frame.Hidden.Length != _hiddenValues)
                throw new InvalidDataException($"frame {frame.Index}: the backbone gave {frame.Hidden.Length} pooled hidden-state values, the features need {_hiddenValues} (a backbone without a hidden-state tensor cannot serve --hidden-states pooled)");
            frame.Hidden.CopyTo(values, (block + 1) * patches);
        }
        _previous = frame;
        return new FrameFeatures(frame.Index, frame.Position, values, frame.Heat);
    }
}
