namespace Vigil.Infrared.Breathing;

/// <summary>
/// Turns one patient's nostril-region samples into sliding windows of breathing rate and pattern.
/// A window [end − W, end) is estimated when the first sample at or after its end arrives (so a source
/// that stops emits nothing more: the alert stage's timer notices). Per window: the tracked share of
/// expected frames, the linear-detrended temperature's amplitude, face motion, the Lomb–Scargle
/// spectrum over the 4–60 /min band and above it, the peak (refined by a parabola through its
/// neighbours), and breaths counted by hysteresis crossings for intervals and pauses. The first rule a
/// window breaks withholds its rate with the reason; pattern fields are kept when the face was tracked.
/// </summary>
public sealed class BreathingRateTracker
{
    private readonly string _patientId;
    private readonly BreathingOptions _options;
    private readonly string _provenance;
    private readonly List<RegionSample> _buffer = new();
    private readonly double[] _bandHz;
    private double _nextEnd = double.NaN;
    private double _frameInterval = double.NaN; // last known median frame interval, s
    private int _index;

    /// <summary>Creates a tracker for <paramref name="patientId"/>.</summary>
    public BreathingRateTracker(string patientId, BreathingOptions? options = null, string provenance = "")
    {
        _patientId = patientId;
        _options = (options ?? new BreathingOptions()).Validate();
        _provenance = provenance;
        var n = (int)Math.Floor((_options.MaxBpm - _options.MinBpm) / _options.GridStepBpm) + 1;
        _bandHz = Enumerable.Range(0, n).Select(i => (_options.MinBpm + i * _options.GridStepBpm) / 60.0).ToArray();
    }

    /// <summary>Adds a sample (timestamps must not go backwards) and returns the windows it completes.</summary>
    public IReadOnlyList<BreathingWindow> Push(RegionSample sample)
    {
        var t = sample.Timestamp.TotalSeconds;
        if (double.IsNaN(_nextEnd)) _nextEnd = t + _options.WindowSeconds;
        else if (_buffer.Count > 0 && t < _buffer[^1].Timestamp.TotalSeconds)
            throw new ArgumentException($"patient {_patientId}: sample at {t:0.###} s is earlier than the previous one ({_buffer[^1].Timestamp.TotalSeconds:0.###} s)");
        List<BreathingWindow>? done = null;
        while (t >= _nextEnd)
        {
            (done ??= new()).Add(Estimate(_nextEnd - _options.WindowSeconds, _nextEnd));
            _nextEnd += _options.HopSeconds;
        }
        _buffer.Add(sample);
        var keepFrom = _nextEnd - _options.WindowSeconds;
        var drop = 0;
        while (drop < _buffer.Count && _buffer[drop].Timestamp.TotalSeconds < keepFrom) drop++;
        if (drop > 0) _buffer.RemoveRange(0, drop);
        return (IReadOnlyList<BreathingWindow>?)done ?? Array.Empty<BreathingWindow>();
    }

    private BreathingWindow Estimate(double start, double end)
    {
        var o = _options;
        var all = _buffer.Where(s => s.Timestamp.TotalSeconds >= start && s.Timestamp.TotalSeconds < end).ToList();
        if (all.Count >= 3)
        {
            var gaps = new double[all.Count - 1];
            for (var i = 1; i < all.Count; i++) gaps[i - 1] = all[i].Timestamp.TotalSeconds - all[i - 1].Timestamp.TotalSeconds;
            Array.Sort(gaps);
            if (gaps[gaps.Length / 2] > 0) _frameInterval = gaps[gaps.Length / 2];
        }
        var valid = all.Where(s => s.HasValue).ToList();
        var expected = double.IsNaN(_frameInterval) ? Math.Max(1, all.Count) : (end - start) / _frameInterval;
        var tracked = Math.Min(1, valid.Count / expected);
        BreathingWindow Result(BreathingStatus status, double rate, string? reason, double amplitude = double.NaN, double share = double.NaN, double hf = double.NaN,
            double cv = double.NaN, double pause = double.NaN, int breaths = 0) =>
            new(_patientId, _index++, TimeSpan.FromSeconds(start), TimeSpan.FromSeconds(end), status, rate, reason, tracked, amplitude, share, hf, cv, pause, breaths, _provenance);

        if (tracked < o.MinTrackedFraction)
        {
            var cause = all.Count < 2 ? "no frames (sensor dropout)"
                : all.Where(s => !s.HasValue).GroupBy(s => s.LostReason).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstOrDefault() ?? "frames missing (sensor dropout)";
            return Result(BreathingStatus.Withheld, double.NaN, $"region lost for {100 * (1 - tracked):0}% of the window: {cause}");
        }

        // Detrended signal on times relative to the window's centre.
        var mid = (start + end) / 2;
        var times = valid.Select(s => s.Timestamp.TotalSeconds - mid).ToArray();
        var values = valid.Select(s => s.MeanCelsius).ToArray();
        Detrend(times, values);
        var amplitude = Math.Sqrt(values.Select(v => v * v).Average());
        var (cv, pause, breaths, medianInterval) = Pattern(times, values, amplitude, start - mid, end - mid);
        if (amplitude < o.MinAmplitudeCelsius)
            return Result(BreathingStatus.Withheld, double.NaN, $"signal weak: nostril temperature varies by {amplitude:0.000} °C (< {o.MinAmplitudeCelsius} °C){(pause >= 10 ? $"; no breath for {pause:0} s" : "")}",
                amplitude, cv: cv, pause: pause, breaths: breaths);

        var motion = FaceMotion(valid);
        if (motion > o.MaxFaceMotion)
            return Result(BreathingStatus.Withheld, double.NaN, $"head motion: face centre moved by {motion:0.00} face widths (> {o.MaxFaceMotion})", amplitude, cv: cv, pause: pause, breaths: breaths);

        var mouth = MouthActivity(valid, _frameInterval);
        if (mouth > o.MaxMouthActivityCelsius)
            return Result(BreathingStatus.Withheld, double.NaN, $"talking: the mouth region changes by {mouth:0.000} °C between frames (> {o.MaxMouthActivityCelsius} °C)", amplitude, cv: cv, pause: pause, breaths: breaths);

        var band = new double[_bandHz.Length];
        LombScargle.Power(times, values, _bandHz, band);
        var nyquistBpm = 60 / (2 * _frameInterval);
        var hfBpm = new List<double>();
        for (var f = o.MaxBpm + 2; f < 0.95 * nyquistBpm; f += 2) hfBpm.Add(f / 60);
        var high = new double[hfBpm.Count];
        LombScargle.Power(times, values, hfBpm.ToArray(), high);
        var bandPower = band.Sum() * o.GridStepBpm;
        var hfRatio = bandPower > 0 ? high.Sum() * 2 / bandPower : double.PositiveInfinity;

        var peak = 0;
        for (var k = 1; k < band.Length; k++) if (band[k] > band[peak]) peak = k;
        var rate = _bandHz[peak] * 60;
        if (peak > 0 && peak < band.Length - 1)
        {
            double a = band[peak - 1], b = band[peak], c = band[peak + 1];
            var denom = a - 2 * b + c;
            if (denom < 0) rate += 0.5 * (a - c) / denom * o.GridStepBpm;
        }
        // Peak share: power within ±2 /min of the rate and of its harmonic (the main lobe of a 30 s window).
        double near = 0;
        for (var k = 0; k < band.Length; k++)
        {
            var f = _bandHz[k] * 60;
            if (Math.Abs(f - rate) <= 2 || Math.Abs(f - 2 * rate) <= 2) near += band[k];
        }
        var share = band.Sum() > 0 ? near / band.Sum() : 0;

        if (hfRatio > o.MaxHighFrequencyRatio)
            return Result(BreathingStatus.Withheld, double.NaN, $"talking or motion artefact: power above {o.MaxBpm:0} /min is {hfRatio:0.00} of the breathing band's (> {o.MaxHighFrequencyRatio})",
                amplitude, share, hfRatio, cv, pause, breaths);
        if (pause > o.MaxPauseToIntervalRatio * medianInterval)
            return Result(BreathingStatus.Withheld, double.NaN, $"no breath for {pause:0} s of the window: a rate would not be representative (possible apnoea)",
                amplitude, share, hfRatio, cv, pause, breaths);
        if (share < o.MinPeakShare)
            return Result(BreathingStatus.Withheld, double.NaN, $"no dominant breathing rhythm: the peak holds {share:0.00} of the band's power (< {o.MinPeakShare})",
                amplitude, share, hfRatio, cv, pause, breaths);
        return Result(BreathingStatus.Ok, rate, null, amplitude, share, hfRatio, cv, pause, breaths);
    }

    private static void Detrend(double[] t, double[] x)
    {
        var n = t.Length;
        if (n == 0) return;
        double mt = t.Average(), mx = x.Average(), stt = 0, stx = 0;
        for (var i = 0; i < n; i++) { stt += (t[i] - mt) * (t[i] - mt); stx += (t[i] - mt) * (x[i] - mx); }
        var slope = stt > 0 ? stx / stt : 0;
        for (var i = 0; i < n; i++) x[i] -= mx + slope * (t[i] - mt);
    }

    // Breaths are upward crossings of +h after the signal was below −h (h = half the RMS amplitude, at least 0.01 °C),
    // on a 0.5 s moving average; pauses include the stretches from the window's start and to its end.
    private static (double Cv, double LongestPause, int Breaths, double MedianInterval) Pattern(double[] t, double[] x, double rms, double start, double end)
    {
        var h = Math.Max(0.5 * rms, 0.01);
        var events = new List<double>();
        var low = false;
        var j0 = 0;
        double sum = 0;
        for (var i = 0; i < t.Length; i++)
        {
            sum += x[i];
            while (t[i] - t[j0] > 0.5) sum -= x[j0++];
            var smooth = sum / (i - j0 + 1);
            if (smooth < -h) low = true;
            else if (low && smooth > h) { events.Add(t[i]); low = false; }
        }
        var pause = events.Count == 0 ? end - start : Math.Max(events[0] - start, end - events[^1]);
        var intervals = new List<double>();
        for (var i = 1; i < events.Count; i++) { intervals.Add(events[i] - events[i - 1]); pause = Math.Max(pause, events[i] - events[i - 1]); }
        double cv = double.NaN, median = double.NaN;
        if (intervals.Count >= 1)
        {
            var sorted = intervals.Order().ToArray();
            median = sorted[sorted.Length / 2];
        }
        if (intervals.Count >= 3)
        {
            var mean = intervals.Average();
            cv = Math.Sqrt(intervals.Select(v => (v - mean) * (v - mean)).Average()) / mean;
        }
        return (cv, pause, events.Count, double.IsNaN(median) ? end - start : median);
    }

    // RMS of the mouth temperature's change between consecutive frames (gaps over 1.5 frame intervals skipped).
    private static double MouthActivity(List<RegionSample> samples, double frameInterval)
    {
        double sum = 0;
        var n = 0;
        for (var i = 1; i < samples.Count; i++)
        {
            double a = samples[i - 1].MouthCelsius, b = samples[i].MouthCelsius;
            if (!double.IsFinite(a) || !double.IsFinite(b)) continue;
            if ((samples[i].Timestamp - samples[i - 1].Timestamp).TotalSeconds > 1.5 * frameInterval) continue;
            sum += (b - a) * (b - a);
            n++;
        }
        return n == 0 ? 0 : Math.Sqrt(sum / n);
    }

    private static double FaceMotion(List<RegionSample> samples)
    {
        var faces = samples.Where(s => s.Face is not null).Select(s => s.Face!.Value).ToList();
        if (faces.Count < 2) return 0;
        double mx = faces.Average(f => f.CentreX), my = faces.Average(f => f.CentreY), w = faces.Average(f => f.Width);
        var variance = faces.Average(f => (f.CentreX - mx) * (f.CentreX - mx) + (f.CentreY - my) * (f.CentreY - my));
        return w > 0 ? Math.Sqrt(variance) / w : 0;
    }
}
