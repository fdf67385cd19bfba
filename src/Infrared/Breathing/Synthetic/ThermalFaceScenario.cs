namespace Vigil.Infrared.Breathing.Synthetic;

/// <summary>
/// What a generated thermal face sequence shows: a breathing-rate schedule (knots joined linearly) and
/// artefact episodes. <see cref="Random"/> draws a varied scenario from a seed.
/// </summary>
public sealed record ThermalFaceScenario
{
    /// <summary>Seed of the noise and of the talking rhythm.</summary>
    public int Seed { get; init; }

    /// <summary>Length, s.</summary>
    public double DurationSeconds { get; init; } = 240;

    /// <summary>Camera frame rate, frames/s.</summary>
    public double Fps { get; init; } = 10;

    /// <summary>Frame width, pixels.</summary>
    public int Width { get; init; } = 160;

    /// <summary>Frame height, pixels.</summary>
    public int Height { get; init; } = 120;

    /// <summary>Breathing rate knots (time s, breaths/min), joined linearly and held flat beyond the ends.</summary>
    public IReadOnlyList<(double Time, double Bpm)> RateKnots { get; init; } = [(0, 14)];

    /// <summary>Peak temperature swing of the exhaled air under the nostrils, °C.</summary>
    public double AmplitudeCelsius { get; init; } = 0.8;

    /// <summary>Per-pixel sensor noise (standard deviation), °C.</summary>
    public double NoiseCelsius { get; init; } = 0.05;

    /// <summary>Talking: irregular breaths and warm bursts of speech at 3–6 syllables/s.</summary>
    public IReadOnlyList<Episode> Talking { get; init; } = [];

    /// <summary>Region lost: face occluded or half out of the frame.</summary>
    public IReadOnlyList<Episode> Lost { get; init; } = [];

    /// <summary>Apnoea: no breathing, face still in view.</summary>
    public IReadOnlyList<Episode> Apnoea { get; init; } = [];

    /// <summary>Head motion: sway with the episode's amplitude in pixels.</summary>
    public IReadOnlyList<Episode> Motion { get; init; } = [];

    /// <summary>Sensor dropout: no frames at all.</summary>
    public IReadOnlyList<Episode> Dropout { get; init; } = [];

    /// <summary>
    /// A scenario drawn from <paramref name="seed"/>: rates between 6 and 40 /min changing at most 0.3 /min per
    /// second, and one episode each of talking, region lost, head motion and dropout (an apnoea in odd seeds),
    /// placed at random in the sequence.
    /// </summary>
    public static ThermalFaceScenario Random(int seed, double durationSeconds = 240, double fps = 10)
    {
        var rng = new Random(seed);
        var knots = new List<(double, double)>();
        double t = 0, bpm = 8 + rng.NextDouble() * 24;
        knots.Add((0, bpm));
        while (t < durationSeconds)
        {
            var hold = 20 + rng.NextDouble() * 40;
            knots.Add((t + hold, bpm));
            var next = 6 + rng.NextDouble() * 34;
            var ramp = Math.Max(10, Math.Abs(next - bpm) / 0.3);
            t += hold + ramp;
            bpm = next;
            knots.Add((t, bpm));
        }
        Episode Draw(double min, double max, double strength = 1)
        {
            var length = min + rng.NextDouble() * (max - min);
            var start = 35 + rng.NextDouble() * Math.Max(1, durationSeconds - 40 - length);
            return new Episode(start, start + length, strength);
        }
        return new ThermalFaceScenario
        {
            Seed = seed,
            DurationSeconds = durationSeconds,
            Fps = fps,
            RateKnots = knots,
            AmplitudeCelsius = 0.5 + rng.NextDouble() * 0.5,
            Talking = [Draw(10, 20)],
            Lost = [Draw(8, 15, 1 + rng.Next(2))],
            Motion = [Draw(15, 30, 1 + rng.NextDouble() * 2)],
            Dropout = [Draw(4, 8)],
            Apnoea = seed % 2 == 1 ? [Draw(20, 28)] : [],
        };
    }
}
