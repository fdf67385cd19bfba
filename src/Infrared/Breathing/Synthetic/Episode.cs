namespace Vigil.Infrared.Breathing.Synthetic;

/// <summary>A stretch of a generated sequence, [Start, End) seconds, with a kind-specific strength.</summary>
/// <param name="Start">Start, s.</param>
/// <param name="End">End, s.</param>
/// <param name="Strength">Motion amplitude in pixels; for region-lost episodes 1 = occluded (blanket), 2 = face half out of the frame.</param>
public readonly record struct Episode(double Start, double End, double Strength = 1)
{
    /// <summary>True when <paramref name="t"/> lies inside.</summary>
    public bool Contains(double t) => t >= Start && t < End;

    /// <summary>Seconds of [<paramref name="from"/>, <paramref name="to"/>) inside the episode.</summary>
    public double Overlap(double from, double to) => Math.Max(0, Math.Min(to, End) - Math.Max(from, Start));
}
