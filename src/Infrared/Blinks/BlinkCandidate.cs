namespace Vigil.Infrared.Blinks;

/// <summary>A departure from the baseline that may be a blink, with the label-free features the classifier reads.</summary>
/// <param name="Event">Onset, end and peak score.</param>
/// <param name="Features">
/// [0] log peak score; [1] log of the peak over the median peak of the previous candidates (is it as strong as
/// this eye's recent departures?); [2] log duration / 300 ms; [3] cosine between the departure map at the peak and
/// the running template of previous departures (blinks repeat one spatial pattern; motion does not).
/// </param>
public sealed record BlinkCandidate(BlinkEvent Event, double[] Features)
{
    /// <summary>Number of features.</summary>
    public const int FeatureCount = 4;
}
