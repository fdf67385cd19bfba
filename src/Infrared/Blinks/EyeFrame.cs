namespace Vigil.Infrared.Blinks;

/// <summary>One thermal frame of the eye region.</summary>
/// <param name="TimestampMs">Time of the frame in milliseconds on the recording's own clock.</param>
/// <param name="Celsius">Temperatures in °C, row-major, <c>Width × Height</c> values.</param>
/// <param name="Width">Columns.</param>
/// <param name="Height">Rows.</param>
public sealed record EyeFrame(double TimestampMs, float[] Celsius, int Width, int Height);
