namespace Vigil.Infrared.Blinks;

/// <summary>A departure from the baseline that may be a blink, with the label-free features the classifier reads.</summary>
/// <param name="Event">Onset, end and peak score.</param>
/// <param name="Features">
/// [0] log peak score (noise deviations); [1] log (duration / 300 ms); [2] cosine between the departure map at the
/// peak and the running template of this stream's previous departures (blinks repeat one spatial pattern; noise and
/// motion do not); the first departure of a stream is its own template (1).
/// </param>
public sealed record BlinkCandidate(BlinkEvent Event, double[] Features)
{
    /// <summary>Number of features.</summary>
    public const int FeatureCount = 3;
}
