namespace Vigil.Ppg.Synthetic;

/// <summary>What <see cref="StressGenerator"/> generates: the case, the device and the seed.</summary>
/// <param name="Case">The difficulty.</param>
/// <param name="Seed">Random seed: the same scenario and seed give the same recording.</param>
/// <param name="Seconds">Duration (≥ 30 s).</param>
/// <param name="SampleRateHz">Device rate, 25-256 Hz.</param>
/// <param name="PpgChannels">PPG channels, 1 to 3.</param>
/// <param name="Gyroscope">Whether the device records a gyroscope.</param>
/// <param name="ArtefactGain">Motion-artefact strength relative to the pulse (1 is a typical hard run).</param>
public sealed record StressScenario(StressCase Case, int Seed = 1, double Seconds = 300, double SampleRateHz = 64, int PpgChannels = 2,
    bool Gyroscope = false, double ArtefactGain = 1.0)
{
    /// <summary>Recording name: case, device and seed.</summary>
    public string Name => FormattableString.Invariant($"{Case}-{SampleRateHz:0}Hz-{PpgChannels}ch{(Gyroscope ? "-gyro" : "")}-s{Seed}");

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (!(Seconds >= 30)) throw new ArgumentException($"stress scenario {Name}: {Seconds} s is shorter than 30 s.");
        if (!(SampleRateHz >= 25 && SampleRateHz <= 256)) throw new ArgumentException($"stress scenario {Name}: {SampleRateHz} Hz is outside 25-256 Hz.");
        if (PpgChannels is < 1 or > 3) throw new ArgumentException($"stress scenario {Name}: {PpgChannels} PPG channels (1 to 3).");
        if (!(ArtefactGain >= 0)) throw new ArgumentException($"stress scenario {Name}: artefact gain {ArtefactGain} is negative.");
    }

    /// <summary>
    /// A spread of scenarios: every case on a rotating mix of devices (25-256 Hz, 1-3 channels, with
    /// and without a gyroscope), <paramref name="perCase"/> seeds each, starting at <paramref name="firstSeed"/>.
    /// </summary>
    public static IReadOnlyList<StressScenario> Suite(int perCase = 3, int firstSeed = 1, double seconds = 300)
    {
        double[] rates = [25, 32, 50, 64, 100, 125, 128, 256];
        var list = new List<StressScenario>();
        var k = 0;
        foreach (var c in Enum.GetValues<StressCase>())
            for (var i = 0; i < perCase; i++, k++)
                list.Add(new StressScenario(c, firstSeed + k, seconds, rates[(k * 3 + i) % rates.Length], 1 + k % 3, k % 2 == 1));
        return list;
    }
}
