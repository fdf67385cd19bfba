using Vigil.Infrared.Blinks;

namespace Vigil.Infrared.Tests.Blinks;

/// <summary>
/// Generated 16×12 eye-region sequences with known blinks: a warm face with a cooler ocular surface,
/// sensor noise, slow drift, and blinks that warm the eye pixels (eyelid over the cornea) for a set time.
/// </summary>
internal static class EngineeredEye
{
    public const int Width = 16, Height = 12;
    public const double FrameMs = 1000.0 / 15.7;

    /// <summary>Frames of <paramref name="seconds"/> s with blinks at the given (start, end) ms; an optional step (head moves) at <paramref name="stepAtMs"/>.</summary>
    public static List<EyeFrame> Generate(double seconds, IReadOnlyList<(double Start, double End)> blinks, int seed = 1,
        double noise = 0.05, double blinkWarming = 0.6, double? stepAtMs = null)
    {
        var rng = new Random(seed);
        var frames = new List<EyeFrame>();
        for (var i = 0; i * FrameMs < seconds * 1000; i++)
        {
            var t = i * FrameMs;
            // Jitter the sensor clock a little, as the real thermopile does.
            var stamp = Math.Round(t + (rng.NextDouble() - 0.5) * 8);
            var closed = blinks.Any(b => t >= b.Start && t <= b.End);
            var px = new float[Width * Height];
            for (var y = 0; y < Height; y++)
                for (var x = 0; x < Width; x++)
                {
                    var eye = x is >= 4 and < 9 && y is >= 4 and < 8;
                    var v = 34.5 - (eye ? 1.2 : 0) + 0.1 * Math.Sin(2 * Math.PI * t / 60000) // slow drift (see docs: fast global drift during long closures is a known limit)
                            + (closed && eye ? blinkWarming : 0)
                            + (stepAtMs is { } s && t >= s && x < 8 ? 1.0 : 0)
                            + noise * Gaussian(rng);
                    px[y * Width + x] = (float)v;
                }
            frames.Add(new EyeFrame(stamp, px, Width, Height));
        }
        return frames;
    }

    /// <summary>Blinks every <paramref name="everyMs"/> from 5 s on, each <paramref name="durationMs"/> long.</summary>
    public static List<(double Start, double End)> Regular(double seconds, double everyMs, double durationMs)
    {
        var list = new List<(double, double)>();
        for (var t = 5000.0; t + durationMs < seconds * 1000 - 1000; t += everyMs) list.Add((t, t + durationMs));
        return list;
    }

    private static double Gaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
