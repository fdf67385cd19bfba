namespace Vigil.Video.Backbone;

/// <summary>
/// What the adapters see for one frame: the motion from the previous frame on the patch grid (AM
/// flow centred so a static scene is 0, and/or the heat maps' optical flow) followed by the frame's
/// patch heat map (scaled so a uniform map is 1); <see cref="Motion.MotionFeatures"/> gives the layout.
/// </summary>
/// <param name="Index">Sampled-frame index.</param>
/// <param name="Position">Position in the video.</param>
/// <param name="Values">Blocks × patches values (<c>am-flow</c>: AM flow − 1, then heat × patches).</param>
/// <param name="Heat">The raw heat map (for explanation strips).</param>
public sealed record FrameFeatures(int Index, TimeSpan Position, float[] Values, float[] Heat);
