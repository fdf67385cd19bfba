namespace Vigil.Infrared.Blinks;

/// <summary>One blink (FACS action unit 45): the eye closes at <see cref="StartMs"/> and has reopened by <see cref="EndMs"/>.</summary>
/// <param name="StartMs">Onset, in milliseconds on the clock of the frames it was found in (or of the label file it was read from).</param>
/// <param name="EndMs">End, same clock; not before <see cref="StartMs"/>.</param>
/// <param name="Strength">Peak blink evidence in noise units (0 for labelled blinks).</param>
public readonly record struct BlinkEvent(double StartMs, double EndMs, double Strength = 0)
{
    /// <summary>The same event moved by <paramref name="offsetMs"/> (e.g. from the label clock to the frame clock).</summary>
    public BlinkEvent Shift(double offsetMs) => this with { StartMs = StartMs + offsetMs, EndMs = EndMs + offsetMs };
}
