using Vigil.Ppg.Data;

namespace Vigil.Ppg.Demo;

/// <summary>A generated recording and its known truth.</summary>
/// <param name="Recording">The samples, as if read from a CSV file.</param>
/// <param name="Truth">True mean heart rate of every 8 s / 2 s window.</param>
public sealed record SyntheticRecording(PpgRecording Recording, IReadOnlyList<ReferenceWindow> Truth);

/// <summary>
/// Generates wrist PPG + accelerometer recordings with known heart rate: a two-wave pulse
/// (systolic peak and dicrotic wave) whose rate follows rest → run → faster run → rest,
/// breathing-induced baseline wander, and motion artefacts that are the accelerometer's own
/// movement (step and arm-swing rhythms) leaking into the PPG, plus sensor noise.
/// </summary>
public static class SyntheticPpg
{
    /// <summary>Generates <paramref name="seconds"/> of signal at <paramref name="sampleRateHz"/>.</summary>
    /// <param name="seconds">Duration.</param>
    /// <param name="sampleRateHz">Device rate (25-256 Hz).</param>
    /// <param name="seed">Random seed (same seed, same recording).</param>
    /// <param name="motionArtefact">PPG motion-artefact amplitude relative to the pulse (about 1 is hard).</param>
    /// <param name="channels">PPG channels (1 to 3).</param>
    /// <param name="name">Recording name.</param>
    public static SyntheticRecording Generate(double seconds = 300, double sampleRateHz = 125, int seed = 1, double motionArtefact = 1.0, int channels = 2, string name = "synthetic")
    {
        var rng = new Random(seed);
        var n = (int)(seconds * sampleRateHz);
        var t = new double[n];
        var ppg = Enumerable.Range(0, channels).Select(_ => new float[n]).ToArray();
        float[] ax = new float[n], ay = new float[n], az = new float[n];
        var hr = new double[n];
        double phase = 0, stepPhase = 0, lagged = 0;
        var chGain = Enumerable.Range(0, channels).Select(c => 0.8 + 0.4 * rng.NextDouble()).ToArray();
        var artGain = Enumerable.Range(0, channels).Select(c => 0.7 + 0.6 * rng.NextDouble()).ToArray();
        for (var i = 0; i < n; i++)
        {
            var ts = i / sampleRateHz;
            t[i] = Math.Round(ts, 6);
            // Heart rate follows the workload through a first-order lag (τ = 25 s), plus a slow wander.
            var load = Load(ts, seconds);
            lagged += (load - lagged) / sampleRateHz / 25;
            var bpm = 70 + 90 * (0.15 * load + 0.85 * lagged) + 3 * Math.Sin(2 * Math.PI * ts / 47);
            var cadence = load == 0 ? 0 : 150 + 20 * load;
            var intensity = load == 0 ? 0.01 : 0.6 + 0.6 * load;
            hr[i] = bpm;
            phase += bpm / 60 / sampleRateHz;
            stepPhase += cadence / 60 / sampleRateHz;
            // Pulse: broad systolic wave at 0.25 of the beat and a smaller dicrotic wave at 0.6.
            var p = phase - Math.Floor(phase);
            var pulse = Math.Exp(-Math.Pow((p - 0.25) / 0.16, 2)) + 0.35 * Math.Exp(-Math.Pow((p - 0.6) / 0.14, 2));
            var breath = 0.3 * Math.Sin(2 * Math.PI * 0.25 * ts);
            // Wrist movement: steps at the cadence, arm swing at half of it, with harmonics.
            var step = Math.Sin(2 * Math.PI * stepPhase) + 0.4 * Math.Sin(4 * Math.PI * stepPhase + 0.5);
            var swing = Math.Sin(Math.PI * stepPhase + 0.3);
            ax[i] = (float)(intensity * (1.2 * swing + 0.3 * step) + 0.02 * Gaussian(rng));
            ay[i] = (float)(-0.98 + intensity * (0.9 * step) + 0.02 * Gaussian(rng));
            az[i] = (float)(0.15 + intensity * (0.5 * swing - 0.4 * step) + 0.02 * Gaussian(rng));
            for (var c = 0; c < channels; c++)
            {
                var artefact = motionArtefact * intensity * artGain[c] * (0.8 * step + 0.6 * swing);
                // Raw device units: inverted absorbance-like scale around an offset, as ADC counts would be.
                ppg[c][i] = (float)(2000 + 150 * chGain[c] * (pulse + breath + artefact + 0.05 * Gaussian(rng)));
            }
        }
        var truth = new List<ReferenceWindow>();
        var windowN = (int)(8 * sampleRateHz);
        for (var w = 0; 2 * w * sampleRateHz + windowN <= n; w++)
        {
            var s = (int)(2 * w * sampleRateHz);
            double sum = 0;
            for (var i = s; i < s + windowN; i++) sum += hr[i];
            truth.Add(new ReferenceWindow(2 * w, 2 * w + 8, sum / windowN));
        }
        var rec = new PpgRecording(name, $"{name}#seed:{seed}", sampleRateHz, t, ppg, ax, ay, az);
        return new SyntheticRecording(rec, truth);
    }

    // Workload over the session: 30 s rest, run, faster run, run, 30 s rest.
    private static double Load(double ts, double total)
    {
        var runEnd = total - 30;
        if (ts < 30 || ts > runEnd) return 0;
        var third = (runEnd - 30) / 3;
        return ts < 30 + third ? 0.6 : ts < 30 + 2 * third ? 1.0 : 0.6;
    }

    private static double Gaussian(Random rng)
    {
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
