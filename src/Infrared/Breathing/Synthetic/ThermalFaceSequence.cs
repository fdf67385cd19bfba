using Vigil.Infrared.Thermal;

namespace Vigil.Infrared.Breathing.Synthetic;

/// <summary>
/// Renders a <see cref="ThermalFaceScenario"/> as thermal frames with exact truth. The scene: a room at
/// 22–23 °C, a small 38 °C lamp, and a frontal head (an ellipse 28 % of the frame wide, 34 °C cooling
/// towards its rim, warm eyes, a cool nose tip, a warm mouth line). Under the nostrils a patch of air
/// warms by the scenario's amplitude on each exhalation: its temperature follows
/// ½(1 − cos φ) + 0.1 sin 2φ of the breathing phase φ, where φ integrates the rate schedule (times an
/// irregular factor while talking, zero during apnoea). Talking adds warm speech bursts at 3–6 /s under
/// the nose and at the mouth; head motion sways the head; region-lost episodes cover the face with a
/// 27 °C blanket or move it half out of the frame; dropout episodes emit no frames. Counts are
/// centikelvin (<see cref="ThermalCameraCard.CentiKelvin"/>), so frames round-trip through Y16 and 16-bit PNG.
/// Truth: the mean rate over any interval is the phase advance over it (cycles per minute), exact up to
/// the 5 ms integration grid.
/// </summary>
public sealed class ThermalFaceSequence
{
    private const double PhaseStep = 0.005;
    private readonly ThermalFaceScenario _s;
    private readonly double[] _phase;      // phase (rad) at k × PhaseStep
    private readonly double[] _speech;     // speech burst intensity 0..1 at k × PhaseStep
    private readonly int _a, _b;           // head half-width, half-height, px
    private readonly int _baseX, _baseY;   // head centre at rest, px
    private readonly float[] _static, _plume, _mouth;
    private readonly bool[] _inside;
    private readonly float[] _background;
    private readonly float[] _noise;

    /// <summary>Prepares the sequence of <paramref name="scenario"/> (nothing is rendered until frames are enumerated).</summary>
    public ThermalFaceSequence(ThermalFaceScenario scenario)
    {
        _s = scenario;
        if (scenario.Width < 32 || scenario.Height < 32) throw new ArgumentException($"generated frames must be at least 32×32, not {scenario.Width}×{scenario.Height}");
        if (!(scenario.Fps > 0) || !(scenario.DurationSeconds > 0)) throw new ArgumentException("generated sequence needs a positive frame rate and duration");
        var rng = new Random(scenario.Seed * 7919 + 1);
        var steps = (int)Math.Ceiling(scenario.DurationSeconds / PhaseStep) + 2;
        _phase = new double[steps];
        _speech = new double[steps];
        double factor = 1, factorUntil = 0, syllable = 4, syllableUntil = 0, syllablePhase = 0;
        for (var k = 1; k < steps; k++)
        {
            var t = (k - 1) * PhaseStep;
            var talking = scenario.Talking.Any(e => e.Contains(t));
            if (talking && t >= factorUntil) { factor = 0.6 + rng.NextDouble() * 0.9; factorUntil = t + 2 + rng.NextDouble() * 2; }
            if (talking && t >= syllableUntil) { syllable = 3 + rng.NextDouble() * 3; syllableUntil = t + 0.4 + rng.NextDouble() * 0.8; }
            var rate = scenario.Apnoea.Any(e => e.Contains(t)) ? 0 : ScheduleBpm(t) * (talking ? factor : 1);
            _phase[k] = _phase[k - 1] + 2 * Math.PI * rate / 60 * PhaseStep;
            syllablePhase += 2 * Math.PI * syllable * PhaseStep;
            _speech[k] = talking ? Math.Pow(Math.Max(0, Math.Sin(syllablePhase)), 2) : 0;
        }
        _a = (int)Math.Round(0.14 * scenario.Width);
        _b = (int)Math.Round(_a * 1.35);
        _baseX = scenario.Width / 2 + rng.Next(-scenario.Width / 16, scenario.Width / 16 + 1);
        _baseY = scenario.Height / 2 + rng.Next(-scenario.Height / 24, scenario.Height / 24 + 1);
        int w = 2 * _a, h = 2 * _b;
        _static = new float[w * h];
        _plume = new float[w * h];
        _mouth = new float[w * h];
        _inside = new bool[w * h];
        static double G(double u, double v, double cu, double cv, double su, double sv) => Math.Exp(-0.5 * (((u - cu) / su) * ((u - cu) / su) + ((v - cv) / sv) * ((v - cv) / sv)));
        for (var y = 0; y < h; y++)
        for (var x = 0; x < w; x++)
        {
            double u = (x + 0.5) / w, v = (y + 0.5) / h;
            var r2 = 4 * ((u - 0.5) * (u - 0.5) + (v - 0.5) * (v - 0.5));
            var i = y * w + x;
            _inside[i] = r2 <= 1;
            _static[i] = (float)(34.2 - 1.8 * r2 + G(u, v, 0.32, 0.42, 0.05, 0.04) + G(u, v, 0.68, 0.42, 0.05, 0.04)
                - 1.2 * G(u, v, 0.5, 0.56, 0.05, 0.07) + 0.4 * G(u, v, 0.5, 0.84, 0.14, 0.03));
            _plume[i] = (float)G(u, v, 0.5, 0.69, 0.09, 0.045);
            _mouth[i] = (float)G(u, v, 0.5, 0.84, 0.14, 0.03);
        }
        _background = new float[scenario.Width * scenario.Height];
        for (var y = 0; y < scenario.Height; y++)
        for (var x = 0; x < scenario.Width; x++)
            _background[y * scenario.Width + x] = (x is >= 6 and < 14 && y is >= 6 and < 14) ? 38f : (float)(22 + 1.0 * y / scenario.Height);
        _noise = new float[1 << 16];
        for (var i = 0; i < _noise.Length; i++)
            _noise[i] = (float)(scenario.NoiseCelsius * Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));
    }

    /// <summary>The scenario rendered.</summary>
    public ThermalFaceScenario Scenario => _s;

    /// <summary>The camera card of the frames' counts.</summary>
    public static ThermalCameraCard Card => ThermalCameraCard.CentiKelvin;

    /// <summary>The schedule's rate at <paramref name="t"/> s (before talking and apnoea change it), breaths/min.</summary>
    public double ScheduleBpm(double t)
    {
        var k = _s.RateKnots;
        if (t <= k[0].Time) return k[0].Bpm;
        for (var i = 1; i < k.Count; i++)
            if (t <= k[i].Time)
                return k[i].Time > k[i - 1].Time ? k[i - 1].Bpm + (k[i].Bpm - k[i - 1].Bpm) * (t - k[i - 1].Time) / (k[i].Time - k[i - 1].Time) : k[i].Bpm;
        return k[^1].Bpm;
    }

    /// <summary>Breathing phase at <paramref name="t"/> s, radians.</summary>
    public double PhaseAt(double t)
    {
        var x = Math.Clamp(t / PhaseStep + 1, 0, _phase.Length - 1.000001);
        var i = (int)x;
        return _phase[i] + (x - i) * (_phase[Math.Min(i + 1, _phase.Length - 1)] - _phase[i]);
    }

    /// <summary>True mean breathing rate over [<paramref name="from"/>, <paramref name="to"/>) s: breaths taken per minute.</summary>
    public double MeanRate(double from, double to) => (PhaseAt(to) - PhaseAt(from)) / (2 * Math.PI) / (to - from) * 60;

    /// <summary>Seconds of [<paramref name="from"/>, <paramref name="to"/>) covered by any artefact episode (talking, lost, apnoea, motion, dropout).</summary>
    public double ArtefactSeconds(double from, double to) =>
        _s.Talking.Concat(_s.Lost).Concat(_s.Apnoea).Concat(_s.Motion).Concat(_s.Dropout).Sum(e => e.Overlap(from, to));

    /// <summary>Times of the frames emitted (dropout episodes emit none), s.</summary>
    public IEnumerable<double> FrameTimes()
    {
        var n = (long)Math.Floor(_s.DurationSeconds * _s.Fps);
        for (long i = 0; i < n; i++)
        {
            var t = i / _s.Fps;
            if (!_s.Dropout.Any(e => e.Contains(t))) yield return t;
        }
    }

    /// <summary>The true face box at <paramref name="t"/> s; null while the face is covered.</summary>
    public FaceBox? FaceAt(double t)
    {
        var lost = _s.Lost.FirstOrDefault(e => e.Contains(t));
        if (lost.End > lost.Start && lost.Strength < 1.5) return null;
        var (cx, cy) = Centre(t);
        return new FaceBox(cx - _a, cy - _b, 2 * _a, 2 * _b, 1);
    }

    /// <summary>A detector that returns the true face box (the "detector-less" chain: known geometry).</summary>
    public IThermalFaceDetector KnownGeometry => ThermalFaceDetector.From("known-geometry", frame => FaceAt(frame.Timestamp.TotalSeconds));

    private (int X, int Y) Centre(double t)
    {
        var lost = _s.Lost.FirstOrDefault(e => e.Contains(t));
        if (lost.End > lost.Start && lost.Strength >= 1.5) return (_s.Width - _a / 2, _baseY);
        double dx = 0, dy = 0;
        foreach (var m in _s.Motion)
            if (m.Contains(t))
            {
                dx += m.Strength * Math.Sin(2 * Math.PI * 0.3 * t);
                dy += 0.5 * m.Strength * Math.Sin(2 * Math.PI * 0.2 * t + 1);
            }
        return ((int)Math.Round(_baseX + dx), (int)Math.Round(_baseY + dy));
    }

    /// <summary>The frames, rendered lazily one at a time.</summary>
    public IEnumerable<ThermalFrame> Frames(string source = "generated")
    {
        var card = Card;
        var lookup = card.LookupTable();
        long index = 0;
        foreach (var t in FrameTimes())
        {
            yield return Render(t, index, $"{source}#{index}", card, lookup);
            index++;
        }
    }

    private ThermalFrame Render(double t, long index, string name, ThermalCameraCard card, float[] lookup)
    {
        int width = _s.Width, height = _s.Height;
        var celsius = new float[width * height];
        Array.Copy(_background, celsius, celsius.Length);
        var (cx, cy) = Centre(t);
        var covered = FaceAt(t) is null;
        var k = Math.Clamp((int)(t / PhaseStep) + 1, 0, _phase.Length - 1);
        var phase = PhaseAt(t);
        var breath = 0.5 * (1 - Math.Cos(phase)) + 0.1 * Math.Sin(2 * phase);
        var speech = _speech[k];
        var talking = _s.Talking.Any(e => e.Contains(t));
        var plumeGain = (float)(_s.AmplitudeCelsius * breath * (talking ? 0.5 : 1) + 0.6 * speech);
        var mouthGain = (float)(1.5 * speech);
        int w = 2 * _a, h = 2 * _b, x0 = cx - _a, y0 = cy - _b;
        for (var y = 0; y < h; y++)
        {
            var fy = y0 + y;
            if (fy < 0 || fy >= height) continue;
            for (var x = 0; x < w; x++)
            {
                var fx = x0 + x;
                var i = y * w + x;
                if (fx < 0 || fx >= width || !_inside[i]) continue;
                celsius[fy * width + fx] = covered ? 27f : _static[i] + plumeGain * _plume[i] + mouthGain * _mouth[i];
            }
        }
        var noiseRng = new Random(HashCode.Combine(_s.Seed, index));
        var offset = noiseRng.Next(_noise.Length);
        var raw = new ushort[celsius.Length];
        for (var i = 0; i < celsius.Length; i++)
        {
            var count = card.ToCount(celsius[i] + _noise[(offset + i * 31) & 0xFFFF]);
            raw[i] = count;
            celsius[i] = lookup[count];
        }
        return new ThermalFrame(name, index, TimeSpan.FromSeconds(t), width, height, celsius, raw, radiometric: true);
    }
}
