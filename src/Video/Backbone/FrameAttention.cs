namespace Vigil.Video.Backbone;

/// <summary>A frame's attention: the chosen block's map (head-averaged, tokens×tokens, row-major) and the patch heat map derived from it.</summary>
/// <param name="Index">Sampled-frame index.</param>
/// <param name="Position">Position in the video.</param>
/// <param name="Attention">Row-stochastic attention map A_t, tokens×tokens.</param>
/// <param name="Heat">Attention each patch receives from the patch queries (<see cref="Motion.PatchGrid.ReceivedAttention"/>), row-major on the grid.</param>
public sealed record FrameAttention(int Index, TimeSpan Position, float[] Attention, float[] Heat)
{
    /// <summary>
    /// The backbone's hidden state pooled over the patch tokens and channel groups
    /// (<see cref="Motion.HiddenStateFeatures"/>); empty when the backbone names no hidden-state tensor.
    /// </summary>
    public float[] Hidden { get; init; } = [];
}
