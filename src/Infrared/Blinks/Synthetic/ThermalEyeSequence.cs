namespace Vigil.Infrared.Blinks.Synthetic;

/// <summary>
/// Generated thermopile eye-region frames (16×12 at about 15.7 frames/s, like the MLX90641 recordings)
/// with known blinks, for demonstrations such as the ward console's simulated beds: warm facial skin,
/// a cooler ocular surface, a slow drift, Gaussian sensor noise, and blinks that warm the eye pixels
/// (the eyelid over the cornea) for 150–400 ms every 2–7 s, drawn from the seed. Frames are rendered
/// lazily; <see cref="Blinks"/> is the truth.
/// </summary>
public sealed class ThermalEyeSequence
{
    /// <summary>Frame width of the thermopile array.</summary>
    public const int Width = 16;

    /// <summary>Frame height of the thermopile array.</summary>
    public const int Height = 12;

    private readonly int _seed;
    private readonly double _noise;
    private readonly double _warming;

    /// <summary>Prepares <paramref name="seconds"/> s of frames from <paramref name="seed"/>.</summary>
    public ThermalEyeSequence(int seed, double seconds, double noiseCelsius = 0.05, double blinkWarmingCelsius = 0.6)
    {
        if (!(seconds > 0)) throw new ArgumentException($"an eye sequence needs a positive duration, not {seconds}");
        _seed = seed;
        _noise = noiseCelsius;
        _warming = blinkWarmingCelsius;
        DurationSeconds = seconds;
        var rng = new Random(seed);
        var blinks = new List<BlinkEvent>();
        // The first blink after the detector's warm-up, then one every 2-7 s.
        for (var t = 4000 + rng.NextDouble() * 2000; t < seconds * 1000 - 1000; t += 2000 + rng.NextDouble() * 5000)
            blinks.Add(new BlinkEvent(t, t + 150 + rng.NextDouble() * 250));
        Blinks = blinks;
    }

    /// <summary>Frame interval, ms (15.7 frames/s).</summary>
    public static double FrameMs => 1000.0 / 15.7;

    /// <summary>Length, s.</summary>
    public double DurationSeconds { get; }

    /// <summary>The blinks drawn into the frames (frame clock, ms).</summary>
    public IReadOnlyList<BlinkEvent> Blinks { get; }

    /// <summary>The frames, rendered one at a time, timestamps from 0 plus <paramref name="offsetMs"/>.</summary>
    public IEnumerable<EyeFrame> Frames(double offsetMs = 0)
    {
        var rng = new Random(_seed * 31 + 7);
        var next = 0;
        for (var i = 0; i * FrameMs < DurationSeconds * 1000; i++)
        {
            var t = i * FrameMs;
            while (next < Blinks.Count && Blinks[next].EndMs < t) next++;
            var closed = next < Blinks.Count && t >= Blinks[next].StartMs && t <= Blinks[next].EndMs;
            var drift = 0.1 * Math.Sin(2 * Math.PI * t / 60000);
            var px = new float[Width * Height];
            for (var y = 0; y < Height; y++)
                for (var x = 0; x < Width; x++)
                {
                    var eye = x is >= 4 and < 9 && y is >= 4 and < 8;
                    var v = 34.5 + drift - (eye ? 1.2 : 0) + (closed && eye ? _warming : 0) + _noise * Gaussian(rng);
                    px[y * Width + x] = (float)v;
                }
            yield return new EyeFrame(offsetMs + t, px, Width, Height);
        }
    }

    private static double Gaussian(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
