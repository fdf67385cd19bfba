namespace Vigil.Video.Backbone;

/// <summary>
/// What the adapters see for one frame: the AM flow from the previous frame on the patch grid
/// (centred: 0 for a static scene) followed by the frame's patch heat map (scaled so a uniform map is 1).
/// </summary>
/// <param name="Index">Sampled-frame index.</param>
/// <param name="Position">Position in the video.</param>
/// <param name="Values">2 × patches values: AM flow − 1, then heat × patches.</param>
/// <param name="Heat">The raw heat map (for explanation strips).</param>
public sealed record FrameFeatures(int Index, TimeSpan Position, float[] Values, float[] Heat);
