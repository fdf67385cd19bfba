namespace Vigil.Infrared.Blinks;

/// <summary>
/// Finds blinks in a thermal eye-region stream, one frame at a time. A blink moves warm eyelid skin over
/// the cooler, evaporating ocular surface and back, so the eye region departs quickly from its slow
/// baseline and returns. Per pixel a baseline follows the temperature with time constant
/// <see cref="BlinkDetectorOptions.BaselineSeconds"/> (frozen during a departure, so a long closure is
/// not absorbed); the evidence is the RMS departure over the frame, averaged over a few frames, in units
/// of its own running noise deviation. Hysteresis on that score gives events; short ones are noise, very
/// long ones are a changed scene (the baseline restarts), close ones are merged.
/// Output delay: an event is reported <see cref="BlinkDetectorOptions.MergeGapMs"/> after it ends.
/// Not thread-safe: one detector per stream.
/// </summary>
public sealed class BlinkDetector
{
    private readonly BlinkDetectorOptions _options;
    private readonly string _source;
    private float[]? _baseline;          // per-pixel slow baseline, °C
    private readonly Queue<double> _recent = new(); // last SmoothFrames raw evidence values
    private double _recentSum;
    private double _noiseLevel = double.NaN;  // running mean of the evidence outside events
    private double _noiseDev = double.NaN;    // running mean absolute deviation of the evidence outside events
    private double _firstMs = double.NaN;
    private double _lastMs = double.NaN;
    private long _frames;
    private bool _active;                // inside a departure
    private double _activeStart;         // onset of the current departure
    private double _activePeak;
    private double _lastCalmMs = double.NaN;  // last frame whose score was below the release level
    private BlinkEvent? _pending;        // ended, waiting MergeGapMs for a continuation

    /// <summary>Creates a detector; <paramref name="source"/> names the stream in error messages.</summary>
    public BlinkDetector(BlinkDetectorOptions? options = null, string source = "thermal stream")
    {
        _options = (options ?? new BlinkDetectorOptions()).Validate();
        _source = source;
    }

    /// <summary>The latest blink score (evidence in noise deviations above the noise level); NaN while warming up.</summary>
    public double LastScore { get; private set; } = double.NaN;

    /// <summary>Feeds one frame; returns the blinks that became final with it (usually none).</summary>
    /// <exception cref="InvalidDataException">The frame is malformed (wrong size, non-finite value, time going backwards).</exception>
    public IReadOnlyList<BlinkEvent> Push(EyeFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var px = frame.Celsius;
        if (px.Length != frame.Width * frame.Height || px.Length == 0)
            throw new InvalidDataException($"{_source}: frame {_frames} has {px.Length} values for {frame.Width}×{frame.Height} pixels");
        if (_baseline is not null && px.Length != _baseline.Length)
            throw new InvalidDataException($"{_source}: frame {_frames} has {px.Length} pixels, earlier frames {_baseline.Length}");
        if (!double.IsFinite(frame.TimestampMs) || frame.TimestampMs < _lastMs)
            throw new InvalidDataException($"{_source}: frame {_frames} has timestamp {frame.TimestampMs} ms after {_lastMs} ms");
        for (var p = 0; p < px.Length; p++)
            if (!float.IsFinite(px[p])) throw new InvalidDataException($"{_source}: frame {_frames} has a non-finite temperature at pixel {p}");

        var t = frame.TimestampMs;
        var dt = double.IsNaN(_lastMs) ? 0 : t - _lastMs;
        _lastMs = t;
        if (double.IsNaN(_firstMs)) _firstMs = t;
        _frames++;
        var output = new List<BlinkEvent>(1);
        if (_baseline is null) { _baseline = (float[])px.Clone(); return output; }

        // Evidence: RMS departure from the baseline.
        double sum = 0;
        for (var p = 0; p < px.Length; p++) { var d = px[p] - _baseline[p]; sum += d * d; }
        var raw = Math.Sqrt(sum / px.Length);
        _recent.Enqueue(raw); _recentSum += raw;
        if (_recent.Count > _options.SmoothFrames) _recentSum -= _recent.Dequeue();
        var evidence = _recentSum / _recent.Count;

        var warm = t - _firstMs >= _options.WarmupSeconds * 1000;
        if (double.IsNaN(_noiseLevel)) { _noiseLevel = evidence; _noiseDev = Math.Max(evidence, 1e-3); }
        var score = (evidence - _noiseLevel) / Math.Max(_noiseDev, 1e-3);
        LastScore = warm ? score : double.NaN;
        var release = _options.Threshold * _options.ReleaseFraction;

        if (_active)
        {
            _activePeak = Math.Max(_activePeak, score);
            if (score < release)
            {
                _active = false;
                if (t - _activeStart >= _options.MinDurationMs) Close(new BlinkEvent(_activeStart, t, _activePeak), output);
            }
            else if (t - _activeStart > _options.MaxDurationMs)
            {
                // Not a blink: the scene changed. Start the baseline afresh from this frame.
                _active = false;
                Array.Copy(px, _baseline, px.Length);
                _recent.Clear(); _recentSum = 0;
            }
        }
        else if (warm && score > _options.Threshold)
        {
            _active = true;
            _activeStart = double.IsNaN(_lastCalmMs) ? t : _lastCalmMs;
            _activePeak = score;
        }

        if (!_active)
        {
            // Outside departures the baseline and the noise statistics follow the signal.
            var a = 1 - Math.Exp(-dt / (_options.BaselineSeconds * 1000));
            for (var p = 0; p < px.Length; p++) _baseline[p] += (float)(a * (px[p] - _baseline[p]));
            var n = 1 - Math.Exp(-dt / (_options.NoiseSeconds * 1000));
            if (!warm) n = Math.Max(n, 1.0 / _frames);  // settle fast at the start
            _noiseLevel += n * (evidence - _noiseLevel);
            _noiseDev += n * (Math.Abs(evidence - _noiseLevel) - _noiseDev);
            if (score < release) _lastCalmMs = t;
        }

        if (_pending is { } pending && !_active && t - pending.EndMs > _options.MergeGapMs)
        {
            output.Add(pending);
            _pending = null;
        }
        return output;
    }

    /// <summary>Ends the stream: returns the blink still waiting for a continuation, if any (a departure still open is dropped).</summary>
    public IReadOnlyList<BlinkEvent> Complete()
    {
        var output = new List<BlinkEvent>(1);
        if (_pending is { } p) output.Add(p);
        _pending = null;
        _active = false;
        return output;
    }

    /// <summary>Runs a whole recording through a fresh detector.</summary>
    public static IReadOnlyList<BlinkEvent> Detect(IEnumerable<EyeFrame> frames, BlinkDetectorOptions? options = null, string source = "thermal stream")
    {
        var detector = new BlinkDetector(options, source);
        var all = new List<BlinkEvent>();
        foreach (var f in frames) all.AddRange(detector.Push(f));
        all.AddRange(detector.Complete());
        return all;
    }

    private void Close(BlinkEvent e, List<BlinkEvent> output)
    {
        if (_pending is { } p && e.StartMs - p.EndMs <= _options.MergeGapMs)
        {
            _pending = new BlinkEvent(p.StartMs, e.EndMs, Math.Max(p.Strength, e.Strength));
            return;
        }
        if (_pending is { } old) output.Add(old);
        _pending = e;
    }
}
