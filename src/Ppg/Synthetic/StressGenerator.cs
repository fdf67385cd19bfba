using Vigil.Ppg.Data;

namespace Vigil.Ppg.Synthetic;

/// <summary>A generated recording with its known truth.</summary>
/// <param name="Scenario">What was generated.</param>
/// <param name="Recording">The samples, as a reader would return them.</param>
/// <param name="Truth">True mean heart rate of every 8 s window every 2 s (the reference format).</param>
/// <param name="CadenceBpm">Mean step cadence (steps per minute, 0 at rest) of every truth window.</param>
public sealed record StressRecording(StressScenario Scenario, PpgRecording Recording, IReadOnlyList<ReferenceWindow> Truth, IReadOnlyList<double> CadenceBpm);

/// <summary>
/// Generates wrist recordings built around the ways a spectral tracker loses the heart rate
/// (<see cref="StressCase"/>), on any device (25-256 Hz, 1-3 PPG channels, optional gyroscope,
/// device units). The model: a heart rate following the workload through a first-order lag with
/// slow wander and beat-to-beat jitter; a pulse of a few harmonics (shape varies per recording);
/// breathing and baseline wander; wrist motion from steps (at the cadence, with harmonics) and arm
/// swing (half the cadence); motion artefacts in the PPG that are a nonlinear mix of the wrist's
/// movement (so they carry cadence harmonics) with a part the accelerometer does not see; sensor
/// noise, per-channel gains and polarity, ADC offsets and quantisation. Truth is exact.
/// </summary>
public static class StressGenerator
{
    private readonly record struct Segment(double Seconds, double TargetBpm, double Cadence, double Intensity, double SwingShare);

    /// <summary>Generates <paramref name="scenario"/>.</summary>
    public static StressRecording Generate(StressScenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        scenario.Validate();
        var rng = new Random(scenario.Seed * 7919 + (int)scenario.Case * 104729);
        double U(double lo, double hi) => lo + (hi - lo) * rng.NextDouble();
        var fs = scenario.SampleRateHz;
        var n = (int)(scenario.Seconds * fs);
        var segments = Plan(scenario, U, out var startBpm, out var cadenceFollowsHr);

        // Pulse shape: harmonic amplitudes and phases (a strong second harmonic in StrongHarmonic).
        var h2 = scenario.Case == StressCase.StrongHarmonic ? U(0.9, 1.4) : U(0.25, 0.7);
        double[] amp = [1, h2, U(0.05, 0.3)];
        double[] ph = [0, U(0, 2 * Math.PI), U(0, 2 * Math.PI)];
        var channels = scenario.PpgChannels;
        var chGain = Enumerable.Range(0, channels).Select(_ => U(0.6, 1.4)).ToArray();
        var chArt = Enumerable.Range(0, channels).Select(_ => U(0.5, 1.5)).ToArray();
        var chMix = Enumerable.Range(0, channels).Select(_ => new[] { U(-1, 1), U(-1, 1), U(-1, 1), U(-1, 1) }).ToArray();
        var chNoise = Enumerable.Range(0, channels).Select(_ => U(0.03, 0.12)).ToArray();
        var polarity = rng.NextDouble() < 0.3 ? -1 : 1;
        var adcOffset = rng.NextDouble() < 0.5 ? U(1e3, 5e4) : U(1e6, 8e6);
        var adcGain = U(50, 800);
        var accUnits = rng.Next(3) switch { 0 => 1.0, 1 => 9.81, _ => U(500, 4096) };
        var accOffset = accUnits > 100 ? U(0, 2000) : 0;
        var clipG = rng.NextDouble() < 0.4 ? 4.0 : 16.0;
        var gravity = Normalise([U(-0.5, 0.5), U(-1, -0.6), U(-0.4, 0.4)]);
        var dropouts = scenario.Case == StressCase.ChannelDropout ? PlanDropouts(scenario, U, rng) : [];

        var t = new double[n];
        var ppg = Enumerable.Range(0, channels).Select(_ => new float[n]).ToArray();
        float[] ax = new float[n], ay = new float[n], az = new float[n];
        var gyro = scenario.Gyroscope ? new[] { new float[n], new float[n], new float[n] } : null;
        var hr = new double[n];
        var cad = new double[n];
        double phase = U(0, 1), stepPhase = U(0, 1), bpm = startBpm, wander = 0, jitter = 0, cadence = 0, intensity = 0, swingShare = 0.5;
        double hidden = U(0, 2 * Math.PI), jig = 0, jig2 = 0;
        var tau = U(18, 40);
        var segIndex = 0; var segEnd = segments[0].Seconds;
        var breathHz = U(0.18, 0.35);
        for (var i = 0; i < n; i++)
        {
            var ts = i / fs;
            while (ts >= segEnd && segIndex < segments.Count - 1) segEnd += segments[++segIndex].Seconds;
            var seg = segments[segIndex];
            // Heart rate: first-order lag towards the segment's target, slow wander, beat-to-beat jitter.
            bpm += (seg.TargetBpm - bpm) / fs / tau;
            wander += (-wander / 30 + 0.9 * Gaussian(rng)) / fs;
            jitter += (-jitter * 2 + 3 * Gaussian(rng)) / fs;
            var rate = Math.Clamp(bpm + 3 * wander + jitter, 38, 215);
            hr[i] = rate;
            // Cadence and intensity move smoothly (a few seconds) between segments.
            var targetCadence = cadenceFollowsHr && seg.Cadence > 0 ? rate + seg.Cadence - 1000 : seg.Cadence;
            cadence += (targetCadence - cadence) / fs / (cadence == 0 || targetCadence == 0 ? 0.3 : 2.0);
            intensity += (seg.Intensity - intensity) / fs / 1.5;
            swingShare += (seg.SwingShare - swingShare) / fs / 2;
            cad[i] = cadence < 20 ? 0 : cadence;
            phase += rate / 60 / fs;
            stepPhase += Math.Max(0, cadence) / 60 / fs;
            hidden += 0.05 * Gaussian(rng) / Math.Sqrt(fs);
            var p = 2 * Math.PI * phase;
            var pulse = amp[0] * Math.Sin(p) + amp[1] * Math.Sin(2 * p + ph[1]) + amp[2] * Math.Sin(3 * p + ph[2]);
            var breath = Math.Sin(2 * Math.PI * breathHz * ts);
            pulse *= 1 + 0.1 * breath;

            // Wrist movement: steps (cadence, with harmonics), arm swing (half cadence), small jiggles at rest.
            var sp = 2 * Math.PI * stepPhase;
            var step = Math.Sin(sp) + 0.5 * Math.Sin(2 * sp + 0.7) + 0.2 * Math.Sin(3 * sp + 1.9);
            var swing = Math.Sin(sp / 2 + 0.3) + 0.25 * Math.Sin(sp * 1.5 + 1.1);
            jig += (-jig * 3 + 0.6 * Gaussian(rng)) / fs * 10;
            jig2 += (-jig2 * 3 + 0.6 * Gaussian(rng)) / fs * 10;
            var moveA = intensity * ((1 - swingShare) * step + swingShare * 1.6 * swing) + 0.02 * jig;
            var moveB = intensity * ((1 - swingShare) * 0.8 * step - swingShare * swing) + 0.02 * jig2;
            var moveC = intensity * (0.5 * step + 0.6 * swingShare * Math.Cos(sp / 2 + 0.3));
            double[] acc = [gravity[0] + moveA, gravity[1] + moveC, gravity[2] + moveB];
            for (var a = 0; a < 3; a++) acc[a] = Math.Clamp(acc[a] + 0.01 * Gaussian(rng), -clipG, clipG) * accUnits + accOffset;
            ax[i] = (float)acc[0]; ay[i] = (float)acc[1]; az[i] = (float)acc[2];
            if (gyro is not null)
            {
                // Angular velocity (deg/s): arm swing dominates, steps shake the wrist.
                var w = 2 * Math.PI * Math.Max(0, cadence) / 120;
                gyro[0][i] = (float)(intensity * 120 * w * Math.Cos(sp / 2 + 0.3) * swingShare * 2 + 2 * Gaussian(rng));
                gyro[1][i] = (float)(intensity * 40 * step + 2 * Gaussian(rng));
                gyro[2][i] = (float)(intensity * 30 * (step - swing) + 5 * jig + 2 * Gaussian(rng));
            }

            t[i] = Math.Round(ts, 6);
            for (var c = 0; c < channels; c++)
            {
                // Artefact: a mix of the movement, squared (harmonics) and a part the accelerometer does not see.
                var m = chMix[c];
                var lin = m[0] * moveA + m[1] * moveB + m[2] * moveC;
                var unseen = intensity * m[3] * Math.Sin(sp + hidden);
                var artefact = scenario.ArtefactGain * chArt[c] * (3.0 * lin + 0.4 * lin * lin + 0.5 * unseen);
                var value = chGain[c] * (pulse + 0.6 * breath + 0.3 * Math.Sin(2 * Math.PI * ts / 61)) + artefact + chNoise[c] * Gaussian(rng);
                value = Dropout(dropouts, c, ts, value, rng);
                ppg[c][i] = (float)Math.Round(adcOffset + polarity * adcGain * value);
            }
        }
        var truth = new List<ReferenceWindow>();
        var cadences = new List<double>();
        var windowN = (int)Math.Round(8 * fs);
        for (var w = 0; (int)Math.Round(2 * w * fs) + windowN <= n; w++)
        {
            var s = (int)Math.Round(2 * w * fs);
            double sum = 0, csum = 0;
            for (var i = s; i < s + windowN; i++) { sum += hr[i]; csum += cad[i]; }
            truth.Add(new ReferenceWindow(2 * w, 2 * w + 8, sum / windowN));
            cadences.Add(csum / windowN);
        }
        var rec = new PpgRecording(scenario.Name, $"generated:{scenario.Name}", fs, t, ppg, ax, ay, az, gyro);
        return new StressRecording(scenario, rec, truth, cadences);
    }

    // The protocol of each case: segments of (duration, heart-rate target, cadence, intensity, arm-swing share).
    private static List<Segment> Plan(StressScenario s, Func<double, double, double> u, out double startBpm, out bool cadenceFollowsHr)
    {
        var total = s.Seconds;
        var rest = u(60, 85);
        startBpm = rest + u(-5, 5);
        cadenceFollowsHr = false;
        var list = new List<Segment>();
        switch (s.Case)
        {
            case StressCase.CadenceNearHeartRate:
            case StressCase.HalfRateLure:
                {
                    // The heart rate rises into the cadence (running) or twice the arm swing (brisk walking)
                    // and stays within a few BPM of it for minutes.
                    var running = s.Case == StressCase.CadenceNearHeartRate;
                    var target = running ? u(150, 170) : u(105, 125);
                    list.Add(new(u(25, 40), rest, 0, 0.01, 0.5));
                    list.Add(new(total * 0.75, target, target + u(-4, 4), running ? u(0.8, 1.2) : u(0.4, 0.7), running ? u(0.2, 0.5) : u(0.75, 0.9)));
                    list.Add(new(total, rest + 15, 0, 0.02, 0.5));
                    break;
                }
            case StressCase.HighStart:
                // Walking from the first sample with a high heart rate: the cadence and its arm swing compete.
                startBpm = u(115, 140);
                list.Add(new(u(50, 80), startBpm, u(95, 115), u(0.3, 0.6), 0.7));
                list.Add(new(total * 0.3, startBpm - u(15, 30), 0, 0.02, 0.5));
                list.Add(new(total, u(120, 150), u(105, 120), u(0.3, 0.5), 0.6));
                break;
            case StressCase.Transitions:
                list.Add(new(u(25, 40), rest, 0, 0.01, 0.5));
                for (var k = 0; k < 6; k++)
                {
                    var sprint = k % 2 == 0;
                    list.Add(new(u(30, 50), sprint ? u(150, 180) : u(100, 120), sprint ? u(160, 185) : u(100, 120), sprint ? u(0.9, 1.3) : u(0.3, 0.5), sprint ? 0.4 : 0.6));
                }
                list.Add(new(total, rest + 20, 0, 0.02, 0.5));
                break;
            default:
                {
                    // Treadmill (also StrongHarmonic, ChannelDropout): rest → walk → run → walk → rest.
                    var part = (total - 60) / 4;
                    list.Add(new(30, rest, 0, 0.01, 0.5));
                    list.Add(new(part, rest + u(20, 35), u(100, 120), u(0.3, 0.5), u(0.5, 0.8)));
                    list.Add(new(2 * part, u(140, 175), u(150, 180), u(0.8, 1.3), u(0.2, 0.5)));
                    list.Add(new(part, rest + u(30, 45), u(100, 120), u(0.3, 0.5), u(0.5, 0.8)));
                    list.Add(new(total, rest + 15, 0, 0.01, 0.5));
                    break;
                }
        }
        return list;
    }

    private readonly record struct DropoutSpan(int Channel, double From, double To, int Kind);

    private static List<DropoutSpan> PlanDropouts(StressScenario s, Func<double, double, double> u, Random rng)
    {
        // Channel 0 fails (noise, flat or saturated) for stretches; others stay clean. One channel: short noise bursts.
        var list = new List<DropoutSpan>();
        for (var from = u(20, 50); from < s.Seconds - 20; from += u(50, 90))
            list.Add(new(0, from, from + (s.PpgChannels > 1 ? u(15, 40) : u(4, 8)), s.PpgChannels > 1 ? rng.Next(3) : 0));
        return list;
    }

    private static double Dropout(List<DropoutSpan> spans, int channel, double ts, double value, Random rng)
    {
        foreach (var d in spans)
        {
            if (d.Channel != channel || ts < d.From || ts >= d.To) continue;
            return d.Kind switch
            {
                0 => 3 * Gaussian(rng),           // sensor lifted: broadband noise
                1 => 0,                            // LED off: flat
                _ => Math.Min(value, -0.5),        // saturated towards a rail
            };
        }
        return value;
    }

    private static double[] Normalise(double[] v)
    {
        var norm = Math.Sqrt(v.Sum(x => x * x));
        return v.Select(x => x / norm).ToArray();
    }

    private static double Gaussian(Random rng)
    {
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
